// Request bodies captured from kubectl 1.32 (`kubectl create <kind> …` against a recording proxy), with the
// object each must decode to: kubectl's own `--dry-run=client -o json` output for the same command, less
// `creationTimestamp: null` (the decoder leaves out the zero time).

export interface CapturedBody {
  name: string;
  command: string;
  /** The body as sent (Content-Type: application/vnd.kubernetes.protobuf), base64. */
  body: string;
  expected: Record<string, unknown>;
}

export const KUBECTL_BODIES: CapturedBody[] = [
  {
    name: "deployment-web",
    command: "kubectl create deployment web --image=nginx:1.27 --replicas=2 --port=80",
    body: "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Er0BCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEosBCAISDAoKCgNhcHASA3dlYhpxChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViElESMwoFbmdpbngSCm5naW54OjEuMjcqADIKCgAQABhQIgAqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAoADgAGgAiAA==",
    expected: {
      kind: "Deployment",
      apiVersion: "apps/v1",
      status: {},
      metadata: { name: "web", labels: { app: "web" } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "nginx", image: "nginx:1.27", ports: [{ containerPort: 80 }], resources: {} }] },
        },
        strategy: {},
      },
    },
  },
  {
    name: "configmap-cfg",
    command: "kubectl create configmap cfg --from-literal=a=1 --from-literal=b=two",
    body: "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEicKEwoDY2ZnEgAaACIAKgAyADgAQgASBgoBYRIBMRIICgFiEgN0d28aACIA",
    expected: { kind: "ConfigMap", apiVersion: "v1", metadata: { name: "cfg" }, data: { a: "1", b: "two" } },
  },
  {
    name: "secret-generic",
    command: "kubectl create secret generic s --from-literal=p=x",
    body: "azhzAAoMCgJ2MRIGU2VjcmV0Eh0KEQoBcxIAGgAiACoAMgA4AEIAEgYKAXASAXgaABoAIgA=",
    expected: { kind: "Secret", apiVersion: "v1", metadata: { name: "s" }, data: { p: "eA==" } },
  },
  {
    name: "namespace-team",
    command: "kubectl create namespace team",
    body: "azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhwKFAoEdGVhbRIAGgAiACoAMgA4AEIAEgAaAgoAGgAiAA==",
    expected: { kind: "Namespace", apiVersion: "v1", metadata: { name: "team" }, spec: {}, status: {} },
  },
  {
    name: "service-clusterip",
    command: "kubectl create service clusterip web --tcp=80:8080",
    body: "azhzAAoNCgJ2MRIHU2VydmljZRJpCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEkIKGwoHODAtODA4MBIDVENQGFAiBwgAEJA/GgAoABIKCgNhcHASA3dlYhoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA==",
    expected: {
      kind: "Service",
      apiVersion: "v1",
      status: { loadBalancer: {} },
      metadata: { name: "web", labels: { app: "web" } },
      spec: {
        ports: [{ name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080 }],
        selector: { app: "web" },
        type: "ClusterIP",
      },
    },
  },
  {
    name: "serviceaccount-bot",
    command: "kubectl create serviceaccount bot",
    body: "azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSFQoTCgNib3QSABoAIgAqADIAOABCABoAIgA=",
    expected: { kind: "ServiceAccount", apiVersion: "v1", metadata: { name: "bot" } },
  },
  {
    name: "job-j",
    command: "kubectl create job j --image=busybox -- echo hi",
    body: "azhzAAoPCghiYXRjaC92MRIDSm9iEoIBChEKAWoSABoAIgAqADIAOABCABJjMmEKEAoAEgAaACIAKgAyADgAQgASTRIqCgFqEgdidXN5Ym94GgRlY2hvGgJoaSoAQgBqAHIAgAEAiAEAkAEAogEAGgVOZXZlcjIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAGgggACgAMAA6ABoAIgA=",
    expected: {
      kind: "Job",
      apiVersion: "batch/v1",
      status: {},
      metadata: { name: "j" },
      spec: {
        template: {
          metadata: {},
          spec: {
            containers: [{ name: "j", image: "busybox", command: ["echo", "hi"], resources: {} }],
            restartPolicy: "Never",
          },
        },
      },
    },
  },
  {
    name: "cronjob-c",
    command: "kubectl create cronjob c --image=busybox --schedule='*/5 * * * *' -- echo hi",
    body: "azhzAAoTCghiYXRjaC92MRIHQ3JvbkpvYhKlAQoRCgFjEgAaACIAKgAyADgAQgASjQEKCyovNSAqICogKiAqGgAqfAoRCgFjEgAaACIAKgAyADgAQgASZzJlChAKABIAGgAiACoAMgA4AEIAElESKgoBYxIHYnVzeWJveBoEZWNobxoCaGkqAEIAagByAIABAIgBAJABAKIBABoJT25GYWlsdXJlMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAaABoAIgA=",
    expected: {
      kind: "CronJob",
      apiVersion: "batch/v1",
      status: {},
      metadata: { name: "c" },
      spec: {
        schedule: "*/5 * * * *",
        jobTemplate: {
          metadata: { name: "c" },
          spec: {
            template: {
              metadata: {},
              spec: {
                containers: [{ name: "c", image: "busybox", command: ["echo", "hi"], resources: {} }],
                restartPolicy: "OnFailure",
              },
            },
          },
        },
      },
    },
  },
  {
    name: "deployment-zero-replicas",
    command: "kubectl create deployment zero --image=nginx --replicas=0",
    body: "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Eq8BCiEKBHplcm8SABoAIgAqADIAOABCAFoLCgNhcHASBHplcm8SfAgAEg0KCwoDYXBwEgR6ZXJvGmEKHQoAEgAaACIAKgAyADgAQgBaCwoDYXBwEgR6ZXJvEkASIgoFbmdpbngSBW5naW54KgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA=",
    expected: {
      kind: "Deployment",
      apiVersion: "apps/v1",
      status: {},
      metadata: { name: "zero", labels: { app: "zero" } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "zero" } },
        template: {
          metadata: { labels: { app: "zero" } },
          spec: { containers: [{ name: "nginx", image: "nginx", resources: {} }] },
        },
        strategy: {},
      },
    },
  },
  {
    name: "deployment-two-images",
    command: "kubectl create deployment multi --image=nginx --image=redis:7",
    body: "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EtsBCiMKBW11bHRpEgAaACIAKgAyADgAQgBaDAoDYXBwEgVtdWx0aRKlAQgBEg4KDAoDYXBwEgVtdWx0aRqIAQoeCgASABoAIgAqADIAOABCAFoMCgNhcHASBW11bHRpEmYSIgoFbmdpbngSBW5naW54KgBCAGoAcgCAAQCIAQCQAQCiAQASJAoFcmVkaXMSB3JlZGlzOjcqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAoADgAGgAiAA==",
    expected: {
      kind: "Deployment",
      apiVersion: "apps/v1",
      status: {},
      metadata: { name: "multi", labels: { app: "multi" } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "multi" } },
        template: {
          metadata: { labels: { app: "multi" } },
          spec: {
            containers: [
              { name: "nginx", image: "nginx", resources: {} },
              { name: "redis", image: "redis:7", resources: {} },
            ],
          },
        },
        strategy: {},
      },
    },
  },
  {
    name: "service-nodeport",
    command: "kubectl create service nodeport np --tcp=80:8080 --node-port=30080",
    body: "azhzAAoNCgJ2MRIHU2VydmljZRJnCh0KAm5wEgAaACIAKgAyADgAQgBaCQoDYXBwEgJucBJCCh0KBzgwLTgwODASA1RDUBhQIgcIABCQPxoAKIDrARIJCgNhcHASAm5wGgAiCE5vZGVQb3J0OgBCAFIAWgBgAGgAGgIKABoAIgA=",
    expected: {
      kind: "Service",
      apiVersion: "v1",
      status: { loadBalancer: {} },
      metadata: { name: "np", labels: { app: "np" } },
      spec: {
        ports: [{ name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080, nodePort: 30080 }],
        selector: { app: "np" },
        type: "NodePort",
      },
    },
  },
  {
    name: "secret-docker-registry",
    command:
      "kubectl create secret docker-registry reg --docker-server=r.example --docker-username=u --docker-password=p",
    body: "azhzAAoMCgJ2MRIGU2VjcmV0EpEBChMKA3JlZxIAGgAiACoAMgA4AEIAEloKES5kb2NrZXJjb25maWdqc29uEkV7ImF1dGhzIjp7InIuZXhhbXBsZSI6eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InAiLCJhdXRoIjoiZFRwdyJ9fX0aHmt1YmVybmV0ZXMuaW8vZG9ja2VyY29uZmlnanNvbhoAIgA=",
    expected: {
      kind: "Secret",
      apiVersion: "v1",
      metadata: { name: "reg" },
      data: {
        ".dockerconfigjson":
          "eyJhdXRocyI6eyJyLmV4YW1wbGUiOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiYXV0aCI6ImRUcHcifX19",
      },
      type: "kubernetes.io/dockerconfigjson",
    },
  },
  {
    name: "configmap-from-files",
    command: "kubectl create configmap files --from-file=file.yaml --from-file=bin.dat (bin.dat = 00 01 ff)",
    body: "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEjsKFQoFZmlsZXMSABoAIgAqADIAOABCABISCglmaWxlLnlhbWwSBWs6IHYKGg4KB2Jpbi5kYXQSAwAB/xoAIgA=",
    expected: {
      kind: "ConfigMap",
      apiVersion: "v1",
      metadata: { name: "files" },
      data: { "file.yaml": "k: v\n" },
      binaryData: { "bin.dat": "AAH/" },
    },
  },
  {
    name: "job-from-cronjob",
    command: "kubectl create job fromcron2 --from=cronjob/c (the cronjob as the server defaulted it)",
    body: "azhzAAoPCghiYXRjaC92MRIDSm9iEr4CCoYBCglmcm9tY3JvbjISABoAIgAqADIAOABCAGIrCiFjcm9uam9iLmt1YmVybmV0ZXMuaW8vaW5zdGFudGlhdGUSBm1hbnVhbGo+CgdDcm9uSm9iGgFjIiQ3ZDQzMGYxYy02ZDM0LTQzZTItYTAwZi1hYTNkYzljYTM1ZTEqCGJhdGNoL3YxMAESqAEypQEKEAoAEgAaACIAKgAyADgAQgASkAESSAoBYxIHYnVzeWJveBoEZWNobxoCaGkqAEIAahQvZGV2L3Rlcm1pbmF0aW9uLWxvZ3IGQWx3YXlzgAEAiAEAkAEAogEERmlsZRoJT25GYWlsdXJlIB4yDENsdXN0ZXJGaXJzdEIASgBSAFgAYABoAHIAggEAigEAmgERZGVmYXVsdC1zY2hlZHVsZXLCAQAaCCAAKAAwADoAGgAiAA==",
    expected: {
      kind: "Job",
      apiVersion: "batch/v1",
      status: {},
      metadata: {
        name: "fromcron2",
        annotations: { "cronjob.kubernetes.io/instantiate": "manual" },
        ownerReferences: [
          {
            apiVersion: "batch/v1",
            kind: "CronJob",
            name: "c",
            uid: "7d430f1c-6d34-43e2-a00f-aa3dc9ca35e1",
            controller: true,
          },
        ],
      },
      spec: {
        template: {
          metadata: {},
          spec: {
            containers: [
              {
                name: "c",
                image: "busybox",
                command: ["echo", "hi"],
                resources: {},
                terminationMessagePath: "/dev/termination-log",
                terminationMessagePolicy: "File",
                imagePullPolicy: "Always",
              },
            ],
            restartPolicy: "OnFailure",
            terminationGracePeriodSeconds: 30,
            dnsPolicy: "ClusterFirst",
            securityContext: {},
            schedulerName: "default-scheduler",
          },
        },
      },
    },
  },
];
