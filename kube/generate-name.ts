// Upstream's SimpleNameGenerator (generateName, and names the server picks itself): five random characters
// from an alphabet without vowels (no words) and without look-alike characters.
const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export function randomSuffix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(5));
  return [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join("");
}
