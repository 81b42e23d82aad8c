// The cluster's ServiceAccount token issuer: signs bound and legacy tokens with the cluster's key and
// publishes what relying parties need to verify them (pkg/serviceaccount/openidmetadata.go): the OpenID
// provider configuration and the public key set. Built once per object start.
import { type Key, type SigningKey, signJwt } from "../../../kube/jwt.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { type BoundTokenRequest, boundClaims, legacyClaims } from "./service-account-claims.ts";

/** Used when the cluster's record has no public URL (clusters provisioned before there was an issuer). */
export const FALLBACK_ISSUER = "https://kubernetes.default.svc.cluster.local";

export const OPENID_CONFIGURATION_PATH = "/.well-known/openid-configuration";
export const JWKS_PATH = "/openid/v1/jwks";

export interface IssuedToken {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export class ServiceAccountIssuer {
  readonly issuer: string;
  /** The API audiences (upstream's --api-audiences, defaulting to the issuer): what this API accepts. */
  readonly audiences: readonly string[];
  readonly #key: SigningKey;
  /** kid → verification key: the one key this cluster signs with. */
  readonly verificationKeys: ReadonlyMap<string, Key>;

  constructor(issuer: string, key: SigningKey) {
    this.issuer = issuer;
    this.audiences = [issuer];
    this.#key = key;
    this.verificationKeys = new Map([[key.kid, key.publicKey]]);
  }

  async issueBound(request: Omit<BoundTokenRequest, "issuer" | "jti">): Promise<IssuedToken> {
    const claims = boundClaims({ ...request, issuer: this.issuer, jti: crypto.randomUUID() });
    return { token: await signJwt(this.#key, claims), expiresAt: claims.exp * 1000 };
  }

  issueLegacy(serviceAccount: KubeObject, secret: KubeObject): Promise<string> {
    return signJwt(this.#key, legacyClaims(serviceAccount, secret));
  }

  /** The OpenID provider configuration, as upstream serves it at /.well-known/openid-configuration. */
  openidConfiguration(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}${JWKS_PATH}`,
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: [this.#key.publicJwk.alg],
    };
  }

  /** The public keys, as upstream serves them at /openid/v1/jwks: never the private parts. */
  jwks(): { keys: Record<string, unknown>[] } {
    const { kty, n, e, use, alg, kid } = this.#key.publicJwk;
    return { keys: [{ use, kty, kid, alg, n, e }] };
  }
}
