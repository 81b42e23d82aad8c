// Who has access to a cluster, as the dashboard shows it: each shared-access user with the roles its
// RoleBindings and ClusterRoleBindings give it, by name or through one of its groups.
import type { KubeObject } from "../../kube/types.ts";

export interface SharedUser {
  id: string;
  username: string;
  groups: string[];
  createdAt: number;
  expiresAt: number | null;
}

interface Subject {
  kind?: string;
  name?: string;
}

/** "edit in team", "view everywhere", with "via group students" when a group binding grants it. */
export function grantsOf(user: SharedUser, bindings: KubeObject[]): string[] {
  const grants: string[] = [];
  for (const b of bindings) {
    const subjects = (b.subjects as Subject[] | undefined) ?? [];
    const viaUser = subjects.some((s) => s.kind === "User" && s.name === user.username);
    const viaGroup = subjects.find((s) => s.kind === "Group" && s.name && user.groups.includes(s.name));
    if (!viaUser && !viaGroup) continue;
    const role = (b.roleRef as { name?: string } | undefined)?.name ?? "?";
    const where = b.metadata.namespace ? `in ${b.metadata.namespace}` : "everywhere";
    grants.push(`${role} ${where}${viaUser ? "" : ` via group ${viaGroup?.name}`}`);
  }
  return [...new Set(grants)].sort();
}

/** The groups field of the add-user form: names separated by commas or spaces. */
export function parseGroups(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}
