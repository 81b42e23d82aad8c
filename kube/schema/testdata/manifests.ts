// Valid manifests using many features, as users write them: none of their fields may be
// reported as unknown.

export const fullDeployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "web",
    namespace: "default",
    labels: { app: "web" },
    annotations: { "example.com/owner": "team-a" },
    finalizers: ["example.com/cleanup"],
  },
  spec: {
    replicas: 3,
    revisionHistoryLimit: 5,
    progressDeadlineSeconds: 600,
    minReadySeconds: 5,
    paused: false,
    selector: { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["fe"] }] },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: "web", tier: "fe" }, annotations: { "prometheus.io/scrape": "true" } },
      spec: {
        serviceAccountName: "web",
        automountServiceAccountToken: false,
        terminationGracePeriodSeconds: 30,
        priorityClassName: "high",
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 1000,
          fsGroup: 2000,
          seccompProfile: { type: "RuntimeDefault" },
          sysctls: [{ name: "net.ipv4.ip_local_port_range", value: "1024 65535" }],
        },
        imagePullSecrets: [{ name: "regcred" }],
        initContainers: [
          { name: "migrate", image: "app:1", command: ["/bin/migrate"], args: ["--up"] },
          { name: "proxy", image: "envoy:1", restartPolicy: "Always" },
        ],
        containers: [
          {
            name: "web",
            image: "nginx:1.27",
            imagePullPolicy: "IfNotPresent",
            workingDir: "/srv",
            ports: [
              { name: "http", containerPort: 80, protocol: "TCP" },
              { containerPort: 9090, hostPort: 9090, hostIP: "0.0.0.0" },
            ],
            env: [
              { name: "MODE", value: "prod" },
              { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name", apiVersion: "v1" } } },
              { name: "CPU", valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: "1m" } } },
              { name: "CM", valueFrom: { configMapKeyRef: { name: "cfg", key: "k", optional: true } } },
              { name: "PW", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
            ],
            envFrom: [{ configMapRef: { name: "cfg" } }, { prefix: "S_", secretRef: { name: "db", optional: true } }],
            resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: 1, memory: "256Mi" } },
            livenessProbe: {
              httpGet: { path: "/healthz", port: "http", scheme: "HTTP", httpHeaders: [{ name: "X", value: "1" }] },
              initialDelaySeconds: 5,
              periodSeconds: 10,
              timeoutSeconds: 2,
              failureThreshold: 3,
            },
            readinessProbe: { tcpSocket: { port: 80 }, successThreshold: 1 },
            startupProbe: { exec: { command: ["cat", "/tmp/ready"] }, failureThreshold: 30 },
            lifecycle: {
              postStart: { exec: { command: ["/bin/true"] } },
              preStop: { sleep: { seconds: 5 } },
            },
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
            },
            volumeMounts: [
              { name: "data", mountPath: "/data" },
              { name: "cfg", mountPath: "/etc/app", readOnly: true, subPath: "app.conf" },
            ],
            terminationMessagePolicy: "FallbackToLogsOnError",
          },
        ],
        volumes: [
          { name: "data", emptyDir: { sizeLimit: "1Gi" } },
          { name: "cfg", configMap: { name: "cfg", items: [{ key: "app.conf", path: "app.conf" }], defaultMode: 420 } },
          { name: "certs", secret: { secretName: "tls", optional: true } },
          { name: "claim", persistentVolumeClaim: { claimName: "pvc", readOnly: true } },
        ],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: "kubernetes.io/os", operator: "In", values: ["linux"] }] },
              ],
            },
          },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 100,
                podAffinityTerm: {
                  topologyKey: "kubernetes.io/hostname",
                  labelSelector: { matchLabels: { app: "web" } },
                },
              },
            ],
          },
        },
        tolerations: [{ key: "dedicated", operator: "Equal", value: "web", effect: "NoSchedule" }],
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: { app: "web" } },
          },
        ],
        nodeSelector: { disktype: "ssd" },
      },
    },
  },
};

export const featurePod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "debug",
    ownerReferences: [{ apiVersion: "v1", kind: "Node", name: "n1", uid: "u1", controller: false }],
  },
  spec: {
    hostname: "db-0",
    subdomain: "db",
    hostNetwork: false,
    hostPID: false,
    shareProcessNamespace: true,
    dnsPolicy: "None",
    dnsConfig: { nameservers: ["1.1.1.1"], searches: ["svc.local"], options: [{ name: "ndots", value: "2" }] },
    hostAliases: [{ ip: "10.0.0.1", hostnames: ["foo.local"] }],
    readinessGates: [{ conditionType: "example.com/ready" }],
    priority: 10,
    runtimeClassName: "runc",
    overhead: { cpu: "10m" },
    schedulingGates: [{ name: "example.com/wait" }],
    resourceClaims: [{ name: "gpu", resourceClaimTemplateName: "gpu-template" }],
    os: { name: "linux" },
    enableServiceLinks: false,
    preemptionPolicy: "Never",
    restartPolicy: "OnFailure",
    activeDeadlineSeconds: 600,
    containers: [
      {
        name: "main",
        image: "busybox",
        stdin: true,
        tty: true,
        resources: { claims: [{ name: "gpu" }] },
        livenessProbe: { grpc: { port: 9000, service: "health" } },
        lifecycle: { preStop: { httpGet: { port: 8080, path: "/stop" } } },
        volumeDevices: [{ name: "raw", devicePath: "/dev/xvda" }],
        resizePolicy: [{ resourceName: "cpu", restartPolicy: "NotRequired" }],
      },
    ],
    ephemeralContainers: [{ name: "dbg", image: "busybox", targetContainerName: "main" }],
    volumes: [
      { name: "host", hostPath: { path: "/var/log", type: "Directory" } },
      { name: "nfs", nfs: { server: "nfs.local", path: "/export", readOnly: true } },
      {
        name: "proj",
        projected: {
          defaultMode: 292,
          sources: [
            { secret: { name: "s", items: [{ key: "a", path: "a", mode: 256 }] } },
            { configMap: { name: "c" } },
            { downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] } },
            { serviceAccountToken: { audience: "vault", expirationSeconds: 3600, path: "token" } },
          ],
        },
      },
      {
        name: "down",
        downwardAPI: { items: [{ path: "cpu", resourceFieldRef: { containerName: "main", resource: "limits.cpu" } }] },
      },
      { name: "csi", csi: { driver: "x.csi", volumeAttributes: { a: "b" } } },
      {
        name: "eph",
        ephemeral: {
          volumeClaimTemplate: {
            metadata: { labels: { a: "b" } },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
          },
        },
      },
      { name: "legacy", awsElasticBlockStore: { volumeID: "vol-1", fsType: "ext4" } },
    ],
    affinity: {
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            topologyKey: "topology.kubernetes.io/zone",
            labelSelector: { matchExpressions: [{ key: "app", operator: "Exists" }] },
            namespaceSelector: {},
            matchLabelKeys: ["pod-template-hash"],
          },
        ],
      },
    },
  },
  status: {
    phase: "Running",
    conditions: [{ type: "Ready", status: "True", lastTransitionTime: "2024-01-01T00:00:00Z" }],
    podIPs: [{ ip: "10.1.0.5" }],
    containerStatuses: [
      {
        name: "main",
        ready: true,
        restartCount: 0,
        image: "busybox",
        imageID: "sha256:1",
        state: { running: { startedAt: "2024-01-01T00:00:00Z" } },
        lastState: { terminated: { exitCode: 1, reason: "Error" } },
      },
    ],
  },
};

export const service = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "web" },
  spec: {
    type: "NodePort",
    selector: { app: "web" },
    ports: [{ name: "http", port: 80, targetPort: "http", nodePort: 30080, protocol: "TCP", appProtocol: "http" }],
    sessionAffinity: "ClientIP",
    sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
    externalTrafficPolicy: "Local",
    ipFamilyPolicy: "SingleStack",
    ipFamilies: ["IPv4"],
  },
};

export const cronJob = {
  apiVersion: "batch/v1",
  kind: "CronJob",
  metadata: { name: "nightly" },
  spec: {
    schedule: "0 3 * * *",
    timeZone: "Etc/UTC",
    concurrencyPolicy: "Forbid",
    jobTemplate: {
      spec: {
        backoffLimit: 2,
        completionMode: "Indexed",
        completions: 3,
        podFailurePolicy: {
          rules: [{ action: "FailJob", onExitCodes: { containerName: "main", operator: "In", values: [42] } }],
        },
        template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } },
      },
    },
  },
};
