// core/v1 probes and lifecycle hooks: the actions the kubelet runs in or against a container.
import {
  atomicList,
  core,
  type Definitions,
  enumOf,
  int64,
  integer,
  intOrString,
  object,
  ref,
  type Schema,
  string,
} from "./dsl.ts";

/** The actions a probe or hook may take; exactly one is set. */
const handlerFields = (what: string): Record<string, Schema> => ({
  exec: ref(core("ExecAction"), `Run a command inside the container as the ${what}.`),
  httpGet: ref(core("HTTPGetAction"), `Send an HTTP GET request as the ${what}.`),
  tcpSocket: ref(core("TCPSocketAction"), `Open a TCP connection as the ${what}.`),
});

export const probeDefinitions: Definitions = {
  [core("Probe")]: object(
    {
      ...handlerFields("check; exit status 0 means healthy"),
      grpc: ref(core("GRPCAction"), "Call the standard gRPC health checking service as the check."),
      initialDelaySeconds: integer("Seconds to wait after the container starts before the first check."),
      timeoutSeconds: integer("Seconds after which a check counts as failed. Defaults to 1; minimum 1."),
      periodSeconds: integer("Seconds between checks. Defaults to 10; minimum 1."),
      successThreshold: integer(
        "Consecutive successes needed to count as healthy after a failure. Defaults to 1; must be 1 for liveness and startup probes.",
      ),
      failureThreshold: integer("Consecutive failures needed to count as failed. Defaults to 3; minimum 1."),
      terminationGracePeriodSeconds: int64(
        "Grace period for stopping the container after this probe fails, overriding the pod's terminationGracePeriodSeconds.",
      ),
    },
    "A health check the kubelet runs periodically against a container.",
  ),
  [core("ExecAction")]: object(
    {
      command: atomicList(
        string(),
        "The command line to run in the container's file system, not in a shell (wrap it in sh -c for one). Exit status 0 is success.",
      ),
    },
    "Runs a command in the container.",
  ),
  [core("HTTPGetAction")]: object(
    {
      path: string("The path to request."),
      port: intOrString("The port number or the name of a container port to connect to."),
      host: string("The host to connect to; defaults to the pod IP. Set a Host header via httpHeaders instead."),
      scheme: enumOf(["HTTP", "HTTPS"], "HTTP (the default) or HTTPS; certificates are not verified."),
      httpHeaders: atomicList(ref(core("HTTPHeader")), "Extra headers to send; repeated names are allowed."),
    },
    "An HTTP GET request; a status from 200 to 399 is success.",
    { required: ["port"] },
  ),
  [core("HTTPHeader")]: object(
    {
      name: string("The header's name; normalised on output, so differently-cased names are the same header."),
      value: string("The header's value."),
    },
    "An HTTP header.",
    { required: ["name", "value"] },
  ),
  [core("TCPSocketAction")]: object(
    {
      port: intOrString("The port number or the name of a container port to connect to."),
      host: string("The host to connect to; defaults to the pod IP."),
    },
    "A TCP connection attempt; success when it opens.",
    { required: ["port"] },
  ),
  [core("GRPCAction")]: object(
    {
      port: integer("The port of the gRPC service, between 1 and 65535."),
      service: string("The service name sent in the health check request; empty means the server's overall health."),
    },
    "A call to the gRPC health checking protocol.",
    { required: ["port"] },
  ),
  [core("Lifecycle")]: object(
    {
      postStart: ref(
        core("LifecycleHandler"),
        "Runs right after the container is created. If it fails the container is killed and handled by the restart policy; the container is not running until it completes.",
      ),
      preStop: ref(
        core("LifecycleHandler"),
        "Runs before the container is stopped (on deletion, failed probes, preemption…), within the pod's grace period; the stop signal is sent after it completes.",
      ),
    },
    "Actions run when a container starts and before it stops.",
  ),
  [core("LifecycleHandler")]: object(
    {
      ...handlerFields("hook"),
      sleep: ref(core("SleepAction"), "Pause for a number of seconds as the hook."),
    },
    "An action run by a lifecycle hook; exactly one field is set.",
  ),
  [core("SleepAction")]: object({ seconds: int64("How many seconds to sleep.") }, "Pauses for a while.", {
    required: ["seconds"],
  }),
};
