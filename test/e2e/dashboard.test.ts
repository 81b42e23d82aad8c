// The dashboard in a real browser (Debian's Chromium through playwright-core) against a real server:
// sign up, create a cluster, copy the join command, join a simulated agent with it, watch the node turn
// Ready and a deployment's pods land on it without reloading, scale it, open logs, delete the cluster;
// and the clear messages for a wrong password, an expired session and a server error.
// Screenshots at phone and laptop sizes go to the folder this test prints.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/local/home.ts";
import { type AgentProcess, spawnAgent, waitUntilSyncing } from "../../scripts/local/local-agent.ts";
import { buildWeb } from "../../web/build.ts";
import { type Harness, startHarness } from "./harness.ts";
import { kubectlEnv, runKubectl } from "./kubectl.ts";

const CHROMIUM = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p): p is string => !!p && fs.existsSync(p),
);
const IN_CI = process.env.CI === "true" || process.env.CI === "1";
// Per DESIGN.md: without the networking flags Chromium keeps calling hosts this closed network refuses.
const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // The server's certificate is from the harness's local CA; ignoreHTTPSErrors alone still logs a refused handshake.
  "--ignore-certificate-errors",
];
const LAPTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const PASSWORD = "a long enough password";
const WAIT = 60_000;

if (!CHROMIUM) {
  if (IN_CI) {
    describe("dashboard", () => {
      it("needs Chromium", () => {
        throw new Error("chromium is not installed (apt-get install -y chromium; .ci/run does it)");
      });
    });
  } else {
    console.warn("WARNING: dashboard browser tests skipped: chromium not found (apt-get install -y chromium)");
  }
}

describe.skipIf(!CHROMIUM)("dashboard in Chromium", () => {
  let h: Harness;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let shots: string;
  let agent: AgentProcess | undefined;
  let agentDir: string;
  const email = `dash-${Date.now()}@example.com`;
  const external: string[] = [];

  beforeAll(async () => {
    const built = await buildWeb({ quiet: true });
    console.log(`dashboard first load: ${(built.firstLoadJsGzipBytes / 1024).toFixed(1)} KiB JavaScript (gzip)`);
    expect(built.firstLoadJsGzipBytes).toBeLessThan(200 * 1024);
    shots = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-dashboard-screenshots-"));
    agentDir = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-dashboard-agent-"));
    console.log(`dashboard screenshots: ${shots}`);
    h = await startHarness();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // launch() gives each run a fresh temporary profile (the fresh --user-data-dir DESIGN.md asks for).
      args: CHROMIUM_FLAGS,
    });
    context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: LAPTOP });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: h.flotilla.url });
    page = await context.newPage();
    // No external requests: every request the page makes stays on the server (checked at the end).
    page.on("request", (req) => {
      if (!/^(data|blob):/.test(req.url()) && !req.url().startsWith(h.flotilla.url)) external.push(req.url());
    });
  }, 240_000);

  afterAll(async () => {
    await agent?.stop();
    await browser?.close();
    await h?.stop();
    fs.rmSync(agentDir, { recursive: true, force: true });
  });

  /** Saves the current page at laptop and phone widths. */
  async function screenshots(name: string) {
    for (const [size, viewport] of [
      ["laptop", LAPTOP],
      ["phone", PHONE],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: path.join(shots, `${name}-${size}.png`), fullPage: true });
    }
    await page.setViewportSize(LAPTOP);
  }

  it("a wrong password shows the server's message", async () => {
    await page.goto(h.flotilla.url);
    await expect(page.getByRole("heading", { name: "Create an account" }).isVisible()).resolves.toBe(true);
    await screenshots("sign-up");
    await page.getByRole("tab", { name: "Log in" }).click();
    await page.getByLabel("Email").fill("nobody@example.com");
    await page.getByLabel("Password").fill("wrong password 123");
    await page.getByRole("button", { name: "Log in", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "invalid email or password" }).waitFor({ timeout: WAIT });
  });

  it("signs up and creates a cluster", async () => {
    await page.getByRole("tab", { name: "Sign up" }).click();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up", exact: true }).click();
    await page.getByRole("heading", { name: "Your clusters" }).waitFor({ timeout: WAIT });
    await page.getByText("No clusters yet").waitFor();
    await page.getByLabel("Cluster name").fill("web-demo");
    await page.getByRole("button", { name: "Create cluster" }).click();
    await page.getByRole("heading", { name: "web-demo" }).waitFor({ timeout: WAIT });
    await page.getByText("Live", { exact: true }).waitFor({ timeout: WAIT });
    await page.getByText("No nodes have joined yet.").waitFor();
  });

  it("copies the join command, and the node it joins appears Ready without a reload", async () => {
    await page.getByRole("button", { name: "Create join command" }).click();
    await page.getByRole("button", { name: "Copy join command" }).click();
    await page.getByRole("button", { name: "Copy join command" }).filter({ hasText: "Copied" }).waitFor();
    const copied = String(await page.evaluate("navigator.clipboard.readText()"));
    expect(copied).toMatch(
      /^npx flotilla agent --server https:\/\/\S+ --join-token fltc_\S+ --ca-file \.flotilla\/ca\.pem$/,
    );
    const server = /--server (\S+)/.exec(copied)?.[1] ?? "";
    const joinToken = /--join-token (\S+)/.exec(copied)?.[1] ?? "";
    expect(server).toMatch(new RegExp(`^${h.flotilla.url}/clusters/[a-z0-9]+$`));

    agent = spawnAgent({
      root: repoRoot,
      clusterUrl: server,
      caPath: h.flotilla.caPath,
      name: "dash-node",
      runtime: "simulated",
      stateDir: path.join(agentDir, "state"),
      joinToken,
      logFile: path.join(agentDir, "agent.log"),
    });
    await waitUntilSyncing(agent);
    const box = page.getByRole("figure", { name: "node dash-node" });
    await box.getByText("Ready", { exact: true }).waitFor({ timeout: WAIT });
    await page.getByRole("table", { name: "Nodes" }).getByText("dash-node").waitFor();
  });

  it("applies a deployment from the editor and shows its pods on the node, then scales it", async () => {
    const yaml = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata: {name: web}",
      "spec:",
      "  replicas: 2",
      "  selector: {matchLabels: {app: web}}",
      "  template:",
      "    metadata: {labels: {app: web}}",
      "    spec: {containers: [{name: web, image: nginx}]}",
    ].join("\n");
    await page.getByLabel(/^Manifests/).fill(yaml);
    await page.getByRole("button", { name: "Apply", exact: true }).click();
    await page.getByText("deployment.apps/web serverside-applied").waitFor({ timeout: WAIT });
    const pods = page.getByRole("list", { name: "pods on dash-node" }).getByRole("listitem");
    await expect.poll(() => pods.count(), { timeout: WAIT }).toBe(2);
    await page.getByRole("table", { name: "Deployments" }).getByText("2/2").waitFor({ timeout: WAIT });
    await screenshots("cluster");

    await page.getByLabel("Replicas of web").fill("3");
    await page.getByRole("form", { name: "Scale deployment web" }).getByRole("button", { name: "Scale" }).click();
    await expect.poll(() => pods.count(), { timeout: WAIT }).toBe(3);
    await page.getByRole("table", { name: "Deployments" }).getByText("3/3").waitFor({ timeout: WAIT });
  });

  it("an invalid object shows the API's Status message", async () => {
    await page.getByLabel(/^Manifests/).fill("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: Bad_Name}\n");
    await page.getByRole("button", { name: "Apply", exact: true }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: /Bad_Name/ })
      .waitFor({ timeout: WAIT });
  });

  it("follows a pod's logs live", async () => {
    await page
      .getByRole("button", { name: /^Logs of pod web-/ })
      .first()
      .click();
    // A simulated node's containers log one line when they start and one every 5 s while followed: the
    // second line proves the view follows the stream rather than reading it once.
    const panel = page.getByRole("region", { name: /^Logs of default\/web-/ });
    const logs = panel.getByRole("log");
    await logs.filter({ hasText: /simulated container .*: running/ }).waitFor({ timeout: WAIT });
    await logs.filter({ hasText: /still running/ }).waitFor({ timeout: WAIT });
    console.log(`pod logs: ${(await logs.textContent())?.slice(0, 300)}`);
    await page.getByRole("button", { name: "Close logs" }).click();
  });

  it("shows who has access: adds a user whose kubeconfig works, what RBAC grants it, and revokes it", async () => {
    const form = page.getByRole("form", { name: "Add a user" });
    await form.getByLabel("Username").fill("alice");
    await form.getByLabel("Groups").fill("students, team-a");
    await form.getByRole("button", { name: "Add user" }).click();
    const kubeconfig = await page.getByRole("figure", { name: "kubeconfig for alice" }).locator("pre").textContent();
    const file = path.join(h.home, "alice.yaml");
    fs.writeFileSync(file, kubeconfig ?? "", { mode: 0o600 });
    const alice = (args: string[]) =>
      runKubectl(kubectlEnv(file, path.join(h.home, "alice-cache")), args, { allowFail: true });
    expect((await alice(["auth", "whoami", "-o", "jsonpath={.status.userInfo.groups}"])).stdout).toBe(
      '["students","team-a","system:authenticated"]',
    );
    const users = page.getByRole("table", { name: "Users" });
    await users.getByRole("row", { name: /alice/ }).getByText("nothing yet").waitFor({ timeout: WAIT });

    const binding = [
      "apiVersion: rbac.authorization.k8s.io/v1",
      "kind: RoleBinding",
      "metadata: {name: students-edit, namespace: default}",
      "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}",
      "subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: students}]",
    ].join("\n");
    await page.getByLabel(/^Manifests/).fill(binding);
    await page.getByRole("button", { name: "Apply", exact: true }).click();
    await page
      .getByText("rolebinding.rbac.authorization.k8s.io/students-edit serverside-applied")
      .waitFor({ timeout: WAIT });
    await form.getByRole("button", { name: "Refresh" }).click();
    await users.getByText("edit in default via group students").waitFor({ timeout: WAIT });
    expect((await alice(["get", "deployment", "web", "-o", "name"])).stdout).toBe("deployment.apps/web\n");
    await screenshots("access");

    await page.getByRole("button", { name: "Delete user alice" }).click();
    await page.getByRole("button", { name: "Yes, delete" }).click();
    await users.getByText("Only you").waitFor({ timeout: WAIT });
    expect((await alice(["get", "deployment", "web"])).stderr).toMatch(/Unauthorized/);
  });

  it("replaces an expired or revoked cluster token without a fuss", async () => {
    const id = /#\/clusters\/([a-z0-9]+)/.exec(page.url())?.[1];
    expect(id).toBeTruthy();
    const key = `flotilla.cluster.${id}`;
    await page.evaluate(
      `(() => { const c = JSON.parse(sessionStorage.getItem(${JSON.stringify(key)})); c.token = "fltc_revoked";
        sessionStorage.setItem(${JSON.stringify(key)}, JSON.stringify(c)); })()`,
    );
    await page.reload();
    await page
      .getByRole("figure", { name: "node dash-node" })
      .getByText("Ready", { exact: true })
      .waitFor({ timeout: WAIT });
    await page.getByText("Live", { exact: true }).waitFor({ timeout: WAIT });
  });

  it("deletes the cluster after confirmation", async () => {
    await page.getByRole("link", { name: "Flotilla" }).click();
    await page.getByRole("link", { name: "web-demo" }).waitFor({ timeout: WAIT });
    await screenshots("clusters");
    await page.getByRole("button", { name: "Delete cluster web-demo" }).click();
    await page.getByRole("button", { name: "Yes, delete" }).click();
    await page.getByText("No clusters yet").waitFor({ timeout: WAIT });
  });

  it("a server error shows a clear message, not a blank page", async () => {
    await page.route("**/v1/clusters", (route) => route.fulfill({ status: 500, body: "boom" }));
    await page.reload();
    await page.getByRole("alert").filter({ hasText: "The server failed (HTTP 500)" }).waitFor({ timeout: WAIT });
    await page.unroute("**/v1/clusters");
  });

  it("an expired session sends you to log in, saying why", async () => {
    // Evaluated in the page (this file is type-checked without the DOM library).
    const expired = JSON.stringify({ token: "flta_expired", email: "x@example.com" });
    await page.evaluate(`localStorage.setItem("flotilla.account", ${JSON.stringify(expired)})`);
    await page.reload();
    await page.getByRole("alert").filter({ hasText: "Your session has expired" }).waitFor({ timeout: WAIT });
    await expect(page.getByRole("heading", { name: "Create an account" }).isVisible()).resolves.toBe(true);
  });

  it("made no requests outside the server", () => {
    expect(external).toEqual([]);
  });
});
