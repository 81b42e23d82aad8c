// Where the reviews are served: POST only (create is their one verb), authorized like any request by the
// router's middleware (system:basic-user grants the self reviews to every authenticated user).
import type { Hono } from "hono";
import { discardBody } from "../../../kube/http/read-capped.ts";
import { methodNotAllowed } from "../../../kube/status.ts";
import type { UserInfo } from "../../../kube/user-info.ts";
import { errorResponse } from "../../../kube/http/respond.ts";
import {
  AUTHENTICATION_GROUP,
  AUTHORIZATION_GROUP,
  localSubjectAccessReview,
  type ReviewContext,
  selfSubjectAccessReview,
  selfSubjectReview,
  selfSubjectRulesReview,
  subjectAccessReview,
  tokenReview,
} from "./reviews.ts";

type Vars = { Variables: { user: UserInfo } };

type Serve = (r: ReviewContext, request: Request, user: UserInfo, namespace: string) => Promise<Response>;

const AUTHZ = `/apis/${AUTHORIZATION_GROUP}/v1`;
const AUTHN = `/apis/${AUTHENTICATION_GROUP}/v1`;

const ROUTES: [string, Serve][] = [
  [`${AUTHZ}/selfsubjectaccessreviews`, (r, req, user) => selfSubjectAccessReview(r, req, user)],
  [`${AUTHZ}/selfsubjectrulesreviews`, (r, req, user) => selfSubjectRulesReview(r, req, user)],
  [`${AUTHZ}/subjectaccessreviews`, (r, req) => subjectAccessReview(r, req)],
  [
    `${AUTHZ}/namespaces/:namespace/localsubjectaccessreviews`,
    (r, req, _u, ns) => localSubjectAccessReview(r, req, ns),
  ],
  [`${AUTHN}/selfsubjectreviews`, (r, req, user) => selfSubjectReview(r, req, user)],
  [`${AUTHN}/tokenreviews`, (r, req) => tokenReview(r, req)],
];

export function mountReviews(app: Hono<Vars>, r: ReviewContext): void {
  for (const [path, serve] of ROUTES)
    app.all(path, async (c) => {
      try {
        if (c.req.method !== "POST")
          throw methodNotAllowed("the server does not allow this method on the requested resource");
        return await serve(r, c.req.raw, c.get("user"), c.req.param("namespace") ?? "");
      } catch (err) {
        await discardBody(c.req.raw);
        return errorResponse(err);
      }
    });
}
