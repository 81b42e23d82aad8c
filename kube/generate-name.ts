// Upstream's SimpleNameGenerator (generateName, and names the server picks itself): five random characters
// from an alphabet without vowels (no words) and without look-alike characters.
const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export function randomSuffix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(5));
  return [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join("");
}

/** How often the apiserver tries another generated name when one is taken (upstream's RetryGenerateName). */
export const GENERATE_NAME_TRIES = 8;

/**
 * A name for `generateName`, tried against what is `taken`: five characters of 27 collide once in a few
 * thousand names (a 5,000-replica ReplicaSet meets one), and upstream retries rather than answer 409.
 * Gives the last try when all are taken, so the create reports AlreadyExists as upstream does then.
 */
export function generateName(prefix: string, taken: (name: string) => boolean, suffix = randomSuffix): string {
  let name = prefix + suffix();
  for (let i = 1; i < GENERATE_NAME_TRIES && taken(name); i++) name = prefix + suffix();
  return name;
}
