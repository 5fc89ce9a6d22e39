import { describe, expect, it } from "vitest";
import { BleError, NO_ADAPTER_MESSAGE, SETCAP_HINT } from "./ble-error.js";
import { loadNoble, waitForPoweredOn } from "./noble-loader.js";
import { FakeNoble } from "./testing/fake-noble.js";
import { FakeScheduler } from "./testing/fake-scheduler.js";

function errno(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

async function loadError(thrown: unknown): Promise<BleError> {
  const err = await loadNoble({ importer: () => Promise.reject(thrown) }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BleError);
  const e = err as BleError;
  expect(e.message).not.toContain("\n"); // one line, printed as is by the CLI
  return e;
}

describe("loadNoble: load failures become one-line BleErrors", () => {
  it("EAFNOSUPPORT (this machine: no Bluetooth in the kernel) -> no adapter", async () => {
    const e = await loadError(errno("EAFNOSUPPORT", "EAFNOSUPPORT, Address family not supported by protocol"));
    expect(e.code).toBe("no-adapter");
    expect(e.message).toBe(NO_ADAPTER_MESSAGE);
  });

  it("a native binding that was never built -> no adapter, pointing at the README", async () => {
    const e1 = await loadError(new Error("No native build was found for platform=linux arch=x64 runtime=node abi=115 uv=1 libc=glibc node=20.20.2"));
    expect(e1.code).toBe("no-adapter");
    expect(e1.message).toContain("README 'Prerequisites'");
    const e2 = await loadError(errno("MODULE_NOT_FOUND", "Cannot find module '../build/Release/bluetooth_hci_socket.node'\nRequire stack:\n- /x/native.js"));
    expect(e2.code).toBe("no-adapter");
    const e3 = await loadError(errno("MODULE_NOT_FOUND", "Cannot find module '@abandonware/bluetooth-hci-socket'"));
    expect(e3.code).toBe("no-adapter");
  });

  it("ENODEV (kernel Bluetooth but no hci device) -> no adapter", async () => {
    expect((await loadError(errno("ENODEV", "ENODEV, No such device"))).code).toBe("no-adapter");
  });

  it("EPERM and EACCES -> the setcap hint", async () => {
    for (const code of ["EPERM", "EACCES"]) {
      const e = await loadError(errno(code, `${code}, Operation not permitted`));
      expect(e.code).toBe("permission");
      expect(e.message).toContain(SETCAP_HINT);
      expect(e.message).toContain("sudo setcap cap_net_raw+eip $(eval readlink -f $(which node))");
    }
  });

  it("noble itself missing -> says so; anything else -> noble-failed with the first line only", async () => {
    expect((await loadError(errno("ERR_MODULE_NOT_FOUND", "Cannot find package '@abandonware/noble' imported from /x"))).code).toBe("noble-missing");
    const e = await loadError(new Error("something odd\n    at somewhere (x.js:1:1)"));
    expect(e.code).toBe("noble-failed");
    expect(e.message).toBe("Bluetooth (noble) failed: something odd");
  });

  it("takes the CommonJS default export and checks its shape", async () => {
    const noble = new FakeNoble(new FakeScheduler());
    await expect(loadNoble({ importer: async () => ({ default: noble }) })).resolves.toBe(noble);
    await expect(loadNoble({ importer: async () => ({ default: {} }) })).rejects.toMatchObject({ code: "noble-failed" });
  });

  it("on this machine the real import fails cleanly or yields a noble (never a raw error)", async () => {
    const outcome = await loadNoble().then(
      (n) => ({ ok: typeof n.startScanningAsync === "function" }),
      (e: unknown) => ({ ok: e instanceof BleError && ["no-adapter", "permission", "noble-missing"].includes(e.code) }),
    );
    expect(outcome.ok).toBe(true);
  });
});

describe("waitForPoweredOn: adapter states", () => {
  const states = [
    ["poweredOff", "adapter-off", "is off"],
    ["unauthorized", "permission", SETCAP_HINT],
    ["unsupported", "adapter-unsupported", "does not support Bluetooth LE"],
  ] as const;

  for (const [state, code, text] of states) {
    it(`${state} at once -> ${code}`, async () => {
      const s = new FakeScheduler();
      const err = await waitForPoweredOn(new FakeNoble(s, { state }), s).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: "BleError", code });
      expect((err as Error).message).toContain(text);
    });

    it(`${state} after a while -> ${code}`, async () => {
      const s = new FakeScheduler();
      const noble = new FakeNoble(s, { state: "unknown" });
      const wait = waitForPoweredOn(noble, s).catch((e: unknown) => e);
      await s.advanceBy(300);
      noble.setState(state);
      expect(await wait).toMatchObject({ code });
    });
  }

  it("resolves when the adapter powers on later, and removes its listeners", async () => {
    const s = new FakeScheduler();
    const noble = new FakeNoble(s, { state: "unknown" });
    let done = false;
    const wait = waitForPoweredOn(noble, s).then(() => (done = true));
    noble.setState("resetting");
    await s.advanceBy(100);
    expect(done).toBe(false);
    noble.setState("poweredOn");
    await wait;
    expect(noble.listenerCount("stateChange")).toBe(0);
    expect(noble.listenerCount("warning")).toBe(0);
    expect(s.pendingTimers).toBe(0);
  });

  it("no state within the timeout -> adapter-not-ready after exactly that much fake time", async () => {
    const s = new FakeScheduler();
    const noble = new FakeNoble(s, { state: "unknown" });
    let failedAt = -1;
    const wait = waitForPoweredOn(noble, s, 5000).catch((e: unknown) => {
      failedAt = s.nowMs();
      return e;
    });
    await s.advanceBy(4999);
    expect(failedAt).toBe(-1);
    await s.advanceBy(1);
    expect(await wait).toMatchObject({ code: "adapter-not-ready", message: "the Bluetooth adapter did not become ready within 5 s (noble state 'unknown')" });
    expect(failedAt).toBe(5000);
  });

  it("a binding init failure reported as a noble warning ends the wait", async () => {
    const s = new FakeScheduler();
    const noble = new FakeNoble(s, { state: "unknown" });
    const wait = waitForPoweredOn(noble, s).catch((e: unknown) => e);
    noble.emit("warning", "calling startScanning(callback) is deprecated"); // not a failure
    noble.emit("warning", "Initialization of USB device failed: ENODEV, No such device");
    expect(await wait).toMatchObject({ code: "no-adapter" });
  });

  it("reading state throws (noble initialises its bindings on that read) -> mapped", async () => {
    const s = new FakeScheduler();
    const throwing = Object.defineProperty(new FakeNoble(s), "state", {
      get: () => {
        throw errno("EPERM", "EPERM, Operation not permitted");
      },
    });
    await expect(waitForPoweredOn(throwing, s)).rejects.toMatchObject({ code: "permission" });
  });
});
