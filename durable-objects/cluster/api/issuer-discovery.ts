// Service account issuer discovery (upstream pkg/serviceaccount/openidmetadata.go, served by
// kube-apiserver's routes/openidmetadata.go): the OpenID provider configuration and the key set, so a
// relying party can verify this cluster's tokens. Public keys only; upstream lets them be cached an hour.
import type { Hono } from "hono";
import { JWKS_PATH, OPENID_CONFIGURATION_PATH, type ServiceAccountIssuer } from "../auth/service-account-issuer.ts";

const CACHE_CONTROL = "public, max-age=3600";

function document(body: unknown, contentType: string): Response {
  return new Response(JSON.stringify(body), {
    headers: { "content-type": contentType, "cache-control": CACHE_CONTROL },
  });
}

// biome-ignore lint/suspicious/noExplicitAny: mounted on the API app whatever its variables
export function mountIssuerDiscovery(app: Hono<any>, issuer: () => ServiceAccountIssuer | undefined): void {
  app.get(OPENID_CONFIGURATION_PATH, (c) => {
    const found = issuer();
    return found ? document(found.openidConfiguration(), "application/json") : c.notFound();
  });
  app.get(JWKS_PATH, (c) => {
    const found = issuer();
    return found ? document(found.jwks(), "application/jwk-set+json") : c.notFound();
  });
}
