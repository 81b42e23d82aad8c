// The YAML editor: server-side apply of every document, one result line each, errors as the API wrote them.
import { useState } from "preact/hooks";
import { type AppliedResult, applyYaml } from "../apply.ts";
import { errorText } from "../errors.ts";
import type { ClusterApi } from "../kube-client.ts";

export const EXAMPLE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx
          resources:
            requests:
              cpu: 100m
              memory: 64Mi
`;

export function YamlEditor({ api }: { api: ClusterApi }) {
  const [text, setText] = useState(EXAMPLE);
  const [results, setResults] = useState<AppliedResult[]>([]);
  const [busy, setBusy] = useState(false);

  const apply = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      setResults(await applyYaml(api, text));
    } catch (err) {
      setResults([{ ok: false, text: errorText(err) }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={apply} aria-labelledby="editor-title">
      <h2 id="editor-title">Apply YAML</h2>
      <label for="yaml-editor">Manifests (server-side apply, field manager flotilla-dashboard)</label>
      <textarea
        id="yaml-editor"
        class="editor"
        spellcheck={false}
        rows={18}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          // Ctrl/Cmd+Enter applies; Tab stays a focus move so the page remains keyboard-navigable.
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) apply(e);
        }}
      />
      <p class="row">
        <button type="submit" disabled={busy}>
          Apply
        </button>
        <span class="hint">Ctrl+Enter applies.</span>
      </p>
      <ul class="results" aria-live="polite" aria-label="Apply results">
        {results.map((r, i) => (
          <li key={i} class={r.ok ? "ok" : "alert"} role={r.ok ? undefined : "alert"}>
            {r.text}
          </li>
        ))}
      </ul>
    </form>
  );
}
