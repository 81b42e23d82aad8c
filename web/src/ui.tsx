// Small shared pieces: alerts, copy buttons, confirmed deletion, tables. Accessible by default
// (real buttons and labels, alerts announced, focus kept where the user is).
import { Component, type ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { errorText } from "./errors.ts";

export function Alert({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p class="alert" role="alert">
      {message}
    </p>
  );
}

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Older browsers and denied permissions: the selection-based fallback.
    const area = document.createElement("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      class="secondary"
      aria-label={label}
      onClick={async () => {
        await copyText(text);
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? "Copied" : "Copy"}
    </button>
  );
}

/** A code block with a copy button, e.g. a command to paste into a terminal. */
export function Snippet({ text, label }: { text: string; label: string }) {
  return (
    <figure class="snippet">
      <figcaption class="visually-hidden">{label}</figcaption>
      <pre>{text}</pre>
      <CopyButton text={text} label={`Copy ${label}`} />
    </figure>
  );
}

/** A delete button that asks first; the confirmation names what goes. */
export function ConfirmDelete({ what, onConfirm }: { what: string; onConfirm: () => Promise<void> }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  if (!asking)
    return (
      <button type="button" class="danger" aria-label={`Delete ${what}`} onClick={() => setAsking(true)}>
        Delete
      </button>
    );
  return (
    <fieldset class="confirm">
      <legend>Delete {what}?</legend>
      <button
        type="button"
        class="danger"
        disabled={busy}
        // biome-ignore lint/a11y/noAutofocus: the confirmation appears where the user just pressed Delete
        autoFocus
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
            setAsking(false);
          } catch (err) {
            setError(errorText(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        Yes, delete
      </button>
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        Cancel
      </button>
      <Alert message={error} />
    </fieldset>
  );
}

export interface Column<T> {
  title: string;
  cell: (row: T) => ComponentChildren;
}

export function DataTable<T>({
  caption,
  rows,
  columns,
  rowKey,
  empty,
}: {
  caption: string;
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  empty: string;
}) {
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c.title}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} class="empty">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((c) => (
                  <td key={c.title} data-title={c.title}>
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** A render error shows a message and a way back instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ComponentChildren }, { error?: string }> {
  override state: { error?: string } = {};
  override componentDidCatch(err: unknown) {
    this.setState({ error: errorText(err) });
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <main class="page">
        <h1>Something went wrong</h1>
        <Alert message={`The page failed to show: ${this.state.error}`} />
        <p>
          <a href="#/">Back to your clusters</a>
        </p>
      </main>
    );
  }
}
