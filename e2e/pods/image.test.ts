// The product image as it ships, run as pods on real nodes: built by
// `npm run image` from the Dockerfile's copy list, imported into each node's
// containerd, scheduled by kube-scheduler onto node-amd64 and onto node-arm64
// (linux-arm64 Node.js under qemu-user). Every subcommand starts there, under
// the chart's pod security (runAsNonRoot without a runAsUser: the kubelet takes
// the image's numeric USER), with a read-only root filesystem.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { type EnvWith, startEnv } from "../env/index.ts";
import { buildImage, imageName } from "../image/build.ts";

const exec = promisify(execFile);
const SUBCOMMANDS = ["operator", "agent", "analytics", "up", "get"];

function podFor(arch: string) {
  const container = (name: string, args: string[], command?: string[]) => ({
    name,
    image: imageName(),
    imagePullPolicy: "Never",
    ...(command ? { command } : {}),
    args,
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
  });
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `image-${arch}`, namespace: "default" },
    spec: {
      restartPolicy: "Never",
      nodeSelector: { "kubernetes.io/arch": arch },
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        ...SUBCOMMANDS.map((s) => container(s, [s, "--help"])),
        container("version", ["version"]),
        container(
          "arch",
          ["-e", "console.log(process.arch, process.getuid(), process.cwd())"],
          ["node"],
        ),
      ],
    },
  };
}

describe("the image in pods on node-amd64 and node-arm64", () => {
  let env: EnvWith<{ cluster: true }>;
  const kubectl = async (...args: string[]) =>
    (
      await exec(env.cluster.kubectl, ["--kubeconfig", env.cluster.kubeconfig, ...args], {
        maxBuffer: 16 << 20,
      })
    ).stdout.trim();

  before(async () => {
    const images = await buildImage(["amd64", "arm64"]);
    env = await startEnv({ cluster: { images } });
  });
  after(() => env?.stop());

  it("every subcommand starts, as uid 1000, on the node of each architecture", async () => {
    const file = join(env.root, "pods.yaml");
    await writeFile(file, ["amd64", "arm64"].map((a) => stringify(podFor(a))).join("---\n"));
    await kubectl("apply", "-f", file);
    for (const arch of ["amd64", "arm64"]) {
      const pod = `pod/image-${arch}`;
      try {
        await kubectl("wait", "--for=jsonpath={.status.phase}=Succeeded", pod, "--timeout=240s");
      } catch (err) {
        const describe = await kubectl("describe", pod).catch(() => "");
        throw new Error(`${pod} did not succeed: ${(err as Error).message}\n${describe}`);
      }
      assert.equal(await kubectl("get", pod, "-o", "jsonpath={.spec.nodeName}"), `node-${arch}`);
      for (const s of SUBCOMMANDS) {
        assert.match(await kubectl("logs", pod, "-c", s), new RegExp(`^usage: amoskys ${s} `));
      }
      assert.match(await kubectl("logs", pod, "-c", "version"), /^\d+\.\d+\.\d+$/);
      const nodeArch = arch === "amd64" ? "x64" : "arm64";
      assert.equal(await kubectl("logs", pod, "-c", "arch"), `${nodeArch} 1000 /app`);
    }
  });
});
