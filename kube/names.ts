// Name and label rules from k8s.io/apimachinery/pkg/util/validation, with upstream's messages.
// Each check returns the list of problems (empty when valid), as upstream's IsX functions do.

const label = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const subdomain = `${label}(\\.${label})*`;
const qualifiedPart = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const labelValue = `(${qualifiedPart})?`;

const labelRe = new RegExp(`^${label}$`);
const subdomainRe = new RegExp(`^${subdomain}$`);
const qualifiedPartRe = new RegExp(`^${qualifiedPart}$`);
const labelValueRe = new RegExp(`^${labelValue}$`);

export const DNS1123LabelMaxLength = 63;
export const DNS1123SubdomainMaxLength = 253;

const maxLen = (n: number) => `must be no more than ${n} characters`;

function regexError(what: string, regex: string, ...examples: string[]): string {
  const e = examples.map((x) => `'${x}'`).join(",  or ");
  return `${what} (e.g. ${e}, regex used for validation is '${regex}')`;
}

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123LabelMaxLength) errs.push(maxLen(DNS1123LabelMaxLength));
  if (!labelRe.test(value))
    errs.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        label,
        "my-name",
        "123-abc",
      ),
    );
  return errs;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123SubdomainMaxLength) errs.push(maxLen(DNS1123SubdomainMaxLength));
  if (!subdomainRe.test(value))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        subdomain,
        "example.com",
      ),
    );
  return errs;
}

/** path.ValidatePathSegmentName: names of kinds that are only a URL path segment. */
export function isPathSegmentName(value: string): string[] {
  if (value === "." || value === "..") return [`may not be '${value}'`];
  const errs: string[] = [];
  for (const bad of ["/", "%"]) if (value.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

/** A label or annotation key: an optional DNS subdomain prefix, a slash, and a name part. */
export function isQualifiedName(value: string): string[] {
  const parts = value.split("/");
  let name: string;
  const errs: string[] = [];
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const [prefix, rest] = parts;
    name = rest;
    if (prefix.length === 0) errs.push("prefix part must be non-empty");
    else for (const msg of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${msg}`);
  } else {
    return [
      regexError(
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        qualifiedPart,
        "MyName",
        "my.name",
        "123-abc",
      ) + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push("name part must be non-empty");
  else if (name.length > 63) errs.push(`name part ${maxLen(63)}`);
  if (name.length > 0 && !qualifiedPartRe.test(name))
    errs.push(
      regexError(
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        qualifiedPart,
        "MyName",
        "my.name",
        "123-abc",
      ),
    );
  return errs;
}

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLen(63));
  if (!labelValueRe.test(value))
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        labelValue,
        "MyValue",
        "my_value",
        "12345",
      ),
    );
  return errs;
}

const dns1035 = "[a-z]([-a-z0-9]*[a-z0-9])?";
const dns1035Re = new RegExp(`^${dns1035}$`);

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123LabelMaxLength) errs.push(maxLen(DNS1123LabelMaxLength));
  if (!dns1035Re.test(value))
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        dns1035,
        "my-name",
        "abc-123",
      ),
    );
  return errs;
}
