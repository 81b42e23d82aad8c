// Content negotiation on the Accept header: plain JSON, server-side Tables, or the
// aggregated discovery documents, as the client lists them in order of preference.

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(header: string | null): MediaRange[] {
  if (!header) return [];
  return header.split(",").map((part) => {
    const [type, ...rest] = part.split(";").map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf("=");
      if (eq > 0) params[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
    }
    return { type: type.toLowerCase(), params };
  });
}

/** The meta.k8s.io version of Table the client asked for first, if any. */
export function wantsTable(accept: MediaRange[]): "v1" | "v1beta1" | null {
  for (const m of accept) {
    if (m.params.as === "Table" && m.params.g === "meta.k8s.io" && (m.params.v === "v1" || m.params.v === "v1beta1"))
      return m.params.v;
    if (m.type === "application/json" && !m.params.as) return null;
  }
  return null;
}

/** The aggregated discovery version the client prefers (kubectl ≥ 1.30 asks v2 first, older v2beta1). */
export function wantsAggregatedDiscovery(accept: MediaRange[]): "v2" | "v2beta1" | null {
  for (const m of accept) {
    if (m.params.as === "APIGroupDiscoveryList" && m.params.g === "apidiscovery.k8s.io") {
      if (m.params.v === "v2" || m.params.v === "v2beta1") return m.params.v;
      continue;
    }
    if (m.type === "application/json" || m.type === "*/*") return null;
  }
  return null;
}
