// /version: kubectl's dispatcher picks the kubectl build matching this minor version.
export const versionInfo = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-flotilla",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-11-24T00:00:00Z",
  goVersion: "go1.23.0",
  compiler: "gc",
  platform: "linux/amd64",
};
