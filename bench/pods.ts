// The pod the benchmark creates: small and realistic (labels, one container with image,
// ports and resources), as a Deployment's template would produce.

export function podManifest(i: number, namespace = "default"): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `bench-${i}`,
      namespace,
      labels: { app: "bench", tier: i % 2 ? "web" : "api", shard: String(i % 16) },
    },
    spec: {
      containers: [
        {
          name: "app",
          image: "nginx:1.27",
          ports: [{ name: "http", containerPort: 80, protocol: "TCP" }],
          resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "500m", memory: "128Mi" } },
        },
      ],
    },
  });
}
