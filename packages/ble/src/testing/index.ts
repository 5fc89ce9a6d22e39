export { FakeNoble, FakePeripheral, FakeCharacteristic, type FakeGattOp, type FakeNotification, type FakeBehaviour, type FakePeripheralOptions, type FakeServiceSpec } from "./fake-noble.js";
export { FakeScheduler, settle } from "./fake-scheduler.js";
export { addFakeWitMotion, addFakeMovellaDot, addFakeOtherPeripheral, swayingSamples, type FakeSensorOptions } from "./fake-devices.js";
export { loadBleFixture, type BleFixture } from "./ble-fixtures.js";
