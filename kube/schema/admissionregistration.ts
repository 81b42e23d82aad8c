// admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy and its binding (k8s.io/api/admissionregistration/v1).
import {
  array,
  atomicList,
  type Definitions,
  enumOf,
  integer,
  kindObject,
  keyedList,
  meta,
  object,
  ref,
  string,
} from "./dsl.ts";

const ar = (t: string) => `io.k8s.api.admissionregistration.v1.${t}`;
const GROUP = "admissionregistration.k8s.io";
const strings = (description: string) => atomicList(string(), description);

export const admissionRegistrationDefinitions: Definitions = {
  [ar("NamedRuleWithOperations")]: object(
    {
      apiGroups: strings("API groups the resources belong to; '*' is every group."),
      apiVersions: strings("API versions the resources belong to; '*' is every version."),
      resources: strings("Resources the rule applies to ('*' every resource, 'pods/*' subresources)."),
      resourceNames: strings("Object names the rule applies to; empty is every object."),
      operations: strings("CREATE, UPDATE, DELETE, CONNECT, or '*' for all of them."),
      scope: enumOf(["Cluster", "Namespaced", "*"], "Which scope the rule applies to. Defaults to '*'."),
    },
    "Resources and operations a policy applies to.",
    { mapType: "atomic" },
  ),
  [ar("MatchResources")]: object(
    {
      namespaceSelector: ref(meta("LabelSelector"), "Namespaces (by label) whose objects are matched."),
      objectSelector: ref(meta("LabelSelector"), "Objects (by label) that are matched."),
      resourceRules: atomicList(ref(ar("NamedRuleWithOperations")), "What is matched."),
      excludeResourceRules: atomicList(ref(ar("NamedRuleWithOperations")), "What is left out."),
      matchPolicy: enumOf(["Exact", "Equivalent"], "How requests for other versions are matched."),
    },
    "Which requests a policy or binding applies to.",
    { mapType: "atomic" },
  ),
  [ar("ParamKind")]: object(
    { apiVersion: string("group/version of the parameter kind."), kind: string("The parameter kind.") },
    "The kind of the objects that parameterize a policy.",
    { mapType: "atomic" },
  ),
  [ar("Validation")]: object(
    {
      expression: string("A CEL expression that must be true for the request to pass."),
      message: string("The message returned when the expression is false."),
      reason: string(
        "The Status reason of a denial: Unauthorized, Forbidden, Invalid (default) or RequestEntityTooLarge.",
      ),
      messageExpression: string("A CEL expression whose string result is the message of a denial."),
    },
    "One validation of a policy.",
    { required: ["expression"] },
  ),
  [ar("MatchCondition")]: object(
    { name: string("The condition's name."), expression: string("A CEL expression; false skips the policy.") },
    "A condition a request must meet for the policy to run.",
    { required: ["name", "expression"] },
  ),
  [ar("Variable")]: object(
    { name: string("The name, used as variables.<name>."), expression: string("The CEL expression of its value.") },
    "A named value computed once per evaluation.",
    { required: ["name", "expression"] },
  ),
  [ar("AuditAnnotation")]: object(
    { key: string("The annotation's key."), valueExpression: string("A CEL expression giving its value.") },
    "An audit annotation a policy adds.",
    { required: ["key", "valueExpression"] },
  ),
  [ar("ValidatingAdmissionPolicySpec")]: object(
    {
      paramKind: ref(ar("ParamKind"), "The kind of the parameter objects; unset means no parameters."),
      matchConstraints: ref(ar("MatchResources"), "The requests the policy applies to."),
      validations: atomicList(ref(ar("Validation")), "The validations."),
      failurePolicy: enumOf(["Ignore", "Fail"], "What an evaluation error does. Defaults to Fail."),
      auditAnnotations: atomicList(ref(ar("AuditAnnotation")), "Audit annotations to add."),
      matchConditions: keyedList(ref(ar("MatchCondition")), "name", "Conditions that must all be true."),
      variables: atomicList(ref(ar("Variable")), "Named values the expressions can use."),
    },
    "What a policy checks.",
  ),
  [ar("TypeChecking")]: object(
    { expressionWarnings: atomicList(object({ fieldRef: string(), warning: string() }, "A warning."), "Warnings.") },
    "The results of type checking.",
  ),
  [ar("ValidatingAdmissionPolicyStatus")]: object(
    {
      observedGeneration: integer("The generation the status was computed for.", "int64"),
      typeChecking: ref(ar("TypeChecking"), "The results of type checking."),
      conditions: keyedList(ref(meta("Condition")), "type", "Conditions."),
    },
    "The observed state of a policy.",
  ),
  [ar("ValidatingAdmissionPolicy")]: kindObject(
    { group: GROUP, version: "v1", kind: "ValidatingAdmissionPolicy" },
    "CEL validations that accept or refuse requests, applied where a binding says.",
    {
      spec: ref(ar("ValidatingAdmissionPolicySpec"), "What the policy checks."),
      status: ref(ar("ValidatingAdmissionPolicyStatus"), "The observed state."),
    },
  ),
  [ar("ParamRef")]: object(
    {
      name: string("The name of the parameter object."),
      namespace: string("The namespace of the parameter objects."),
      selector: ref(meta("LabelSelector"), "Selects the parameter objects by label."),
      parameterNotFoundAction: enumOf(["Allow", "Deny"], "What happens when no parameter object is found."),
    },
    "How a binding finds the parameters of its policy.",
  ),
  [ar("ValidatingAdmissionPolicyBindingSpec")]: object(
    {
      policyName: string("The policy bound."),
      paramRef: ref(ar("ParamRef"), "Where the parameters come from."),
      matchResources: ref(ar("MatchResources"), "Narrows the requests the policy applies to."),
      validationActions: array(string(), "Deny, Warn and/or Audit: what a failed validation does.", {
        listType: "set",
      }),
    },
    "What a binding applies.",
  ),
  [ar("ValidatingAdmissionPolicyBinding")]: kindObject(
    { group: GROUP, version: "v1", kind: "ValidatingAdmissionPolicyBinding" },
    "Applies a ValidatingAdmissionPolicy, with parameters, to the requests it matches.",
    { spec: ref(ar("ValidatingAdmissionPolicyBindingSpec"), "What the binding applies.") },
  ),
};
