// The RBAC authorizer (plugin/pkg/auth/authorizer/rbac): a request is allowed when a rule of a role bound
// to its user, one of its groups or its ServiceAccount allows it. Bindings are indexed by subject and the
// index follows the store's changes, so a request looks at its own subjects' bindings, never at them all.
import { SERVICE_ACCOUNT_PREFIX, type UserInfo } from "../../../kube/user-info.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { Change, ObjectStore, StoredEntry } from "../store/object-store.ts";
import { type PolicyRule, roleRefOf, rulesOf, type Subject, subjectsOf } from "../registry/rbac-validation.ts";
import type { RequestAttributes } from "./request-info.ts";
import { ruleAllows } from "./rbac-rules.ts";

export const ROLES = "roles.rbac.authorization.k8s.io";
export const CLUSTER_ROLES = "clusterroles.rbac.authorization.k8s.io";
export const ROLE_BINDINGS = "rolebindings.rbac.authorization.k8s.io";
export const CLUSTER_ROLE_BINDINGS = "clusterrolebindings.rbac.authorization.k8s.io";

export interface Decision {
  allowed: boolean;
  /** "RBAC: allowed by …", or why roles could not be read; "" when simply not allowed. */
  reason: string;
}

/** A rule and where it came from; return true to stop visiting. */
export type RuleVisitor = (rule: PolicyRule, source: () => string) => boolean;

const subjectKey = (kind: string, name: string, namespace = "") => `${kind}\u0000${namespace}\u0000${name}`;

/** The index keys a binding's subject is found under (a RoleBinding's ServiceAccount defaults to its namespace). */
function keyOf(s: Subject, bindingNamespace: string | undefined): string | undefined {
  if (!s || typeof s !== "object" || typeof s.name !== "string") return undefined;
  if (s.kind === "User" || s.kind === "Group") return subjectKey(s.kind, s.name);
  if (s.kind !== "ServiceAccount") return undefined;
  const ns = s.namespace || bindingNamespace;
  return ns ? subjectKey("ServiceAccount", s.name, ns) : undefined;
}

/** The keys a user's bindings are filed under: its name, its groups, and its ServiceAccount if it is one. */
function keysFor(user: UserInfo): string[] {
  const keys = [subjectKey("User", user.username), ...user.groups.map((g) => subjectKey("Group", g))];
  if (user.username.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    const [ns, name, ...rest] = user.username.slice(SERVICE_ACCOUNT_PREFIX.length).split(":");
    if (ns && name && rest.length === 0) keys.push(subjectKey("ServiceAccount", name, ns));
  }
  return keys;
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === "ServiceAccount") return `${s.kind} "${s.name}/${s.namespace || bindingNamespace}"`;
  return `${s.kind} "${s.name}"`;
}

export class RbacAuthorizer {
  #store: ObjectStore;
  /** subject key → store keys of the bindings naming it. */
  #bySubject = new Map<string, Set<string>>();
  /** binding store key → the subject keys it was filed under. */
  #filed = new Map<string, string[]>();

  constructor(store: ObjectStore) {
    this.#store = store;
    for (const resource of [CLUSTER_ROLE_BINDINGS, ROLE_BINDINGS])
      for (const entry of store.list(resource)) this.#file(entry);
    store.onChange((change) => this.#follow(change));
  }

  #follow(change: Change): void {
    const resource = change.entry.resource;
    if (resource !== ROLE_BINDINGS && resource !== CLUSTER_ROLE_BINDINGS) return;
    this.#unfile(change.entry.key);
    if (change.type !== "DELETED") this.#file(change.entry);
  }

  #file(entry: StoredEntry): void {
    const ns = entry.object.metadata.namespace;
    const keys = [...new Set(subjectsOf(entry.object).flatMap((s) => keyOf(s, ns) ?? []))];
    this.#filed.set(entry.key, keys);
    for (const k of keys) {
      const set = this.#bySubject.get(k) ?? new Set<string>();
      this.#bySubject.set(k, set);
      set.add(entry.key);
    }
  }

  #unfile(bindingKey: string): void {
    for (const k of this.#filed.get(bindingKey) ?? []) {
      const set = this.#bySubject.get(k);
      set?.delete(bindingKey);
      if (set?.size === 0) this.#bySubject.delete(k);
    }
    this.#filed.delete(bindingKey);
  }

  /** The role a binding grants, or an error as upstream's role getters word it. */
  #roleOf(binding: KubeObject): { rules: PolicyRule[] } | { error: string } {
    const ref = roleRefOf(binding);
    const name = ref.name ?? "";
    const ns = binding.metadata.namespace;
    const found =
      ref.kind === "ClusterRole"
        ? this.#store.get(CLUSTER_ROLES, undefined, name)
        : ref.kind === "Role" && ns
          ? this.#store.get(ROLES, ns, name)
          : undefined;
    if (found) return { rules: rulesOf(found.object) };
    const what = ref.kind === "ClusterRole" ? "clusterrole" : "role";
    return { error: `${what}.rbac.authorization.k8s.io "${name}" not found` };
  }

  /**
   * Visits the rules that apply to `user` in `namespace` ("" for cluster scope): those of its
   * ClusterRoleBindings, then of its RoleBindings in that namespace (upstream's VisitRulesFor).
   * Returns the errors met (roles that do not exist).
   */
  visitRules(user: UserInfo, namespace: string, visit: RuleVisitor): string[] {
    const errors: string[] = [];
    const seen = new Set<string>();
    const cluster: StoredEntry[] = [];
    const local: StoredEntry[] = [];
    const userKeys = keysFor(user);
    for (const k of userKeys)
      for (const bindingKey of this.#bySubject.get(k) ?? []) {
        if (seen.has(bindingKey)) continue;
        seen.add(bindingKey);
        const entry = this.#store.getByKey(bindingKey);
        if (!entry) continue;
        if (entry.resource === CLUSTER_ROLE_BINDINGS) cluster.push(entry);
        else if (namespace && entry.object.metadata.namespace === namespace) local.push(entry);
      }
    for (const entry of [...cluster, ...local]) {
      const binding = entry.object;
      const bindingNs = binding.metadata.namespace ?? "";
      const subject = subjectsOf(binding).find((s) => {
        const key = keyOf(s, binding.metadata.namespace);
        return key !== undefined && userKeys.includes(key);
      });
      const role = this.#roleOf(binding);
      if ("error" in role) {
        errors.push(role.error);
        continue;
      }
      const source = () => {
        const ref = roleRefOf(binding);
        const kind = entry.resource === CLUSTER_ROLE_BINDINGS ? "ClusterRoleBinding" : "RoleBinding";
        const name = bindingNs ? `${binding.metadata.name}/${bindingNs}` : binding.metadata.name;
        return `${kind} "${name}" of ${ref.kind} "${ref.name}" to ${subject ? describeSubject(subject, bindingNs) : "?"}`;
      };
      for (const rule of role.rules) if (visit(rule, source)) return errors;
    }
    return errors;
  }

  authorize(attrs: RequestAttributes): Decision {
    let allowedBy = "";
    const errors = this.visitRules(attrs.user, attrs.namespace, (rule, source) => {
      if (!ruleAllows(attrs, rule)) return false;
      allowedBy = source();
      return true;
    });
    if (allowedBy) return { allowed: true, reason: `RBAC: allowed by ${allowedBy}` };
    const reason = errors.length === 0 ? "" : `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`}`;
    return { allowed: false, reason };
  }

  /** Every rule that applies to `user` in `namespace`, and the errors met (SelfSubjectRulesReview, escalation checks). */
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors = this.visitRules(user, namespace, (rule) => {
      rules.push(rule);
      return false;
    });
    return { rules, errors };
  }
}
