export * from "./types.js";
export { DEVICE_MODULES, getDeviceModule, matchAdvertisement } from "./registry.js";
export { bytesToHex, hexToBytes } from "./common/bytes.js";
export { toNobleUuid, sameUuid } from "./common/uuid.js";
export {
  CONNECTION_INTERVAL_RANGE_UNITS,
  CONNECTION_INTERVAL_UNIT_MS,
  connectionIntervalUnitsFor,
  connectionPhaseStepMs,
  requestedConnectionIntervalMs,
  requestedConnectionIntervalUnits,
} from "./common/connection-interval.js";

export { witMotionModule } from "./witmotion/module.js";
export { WitMotionStreamDecoder } from "./witmotion/stream-decoder.js";
export { WitMotionEncoder, witDefaultBatchFrames, encodeWitRegisterReply, encodeWitQuaternionReply, encodeWitBatteryReply } from "./witmotion/encoder.js";
export { witEulerDegToQuat, witQuatToEulerDeg } from "./witmotion/euler-convention.js";
export { WIT_SERVICE_UUID, WIT_DATA_CHAR_UUID, WIT_COMMAND_CHAR_UUID, isWitDataChar } from "./witmotion/uuids.js";
export { witMagScale } from "./witmotion/magnetometer-scale.js";

export { movellaDotModule } from "./movella/module.js";
export { MovellaDotDecoder } from "./movella/decoder.js";
export { MovellaDotEncoder, DOT_ENCODABLE_MODES } from "./movella/encoder.js";
export { DOT_PAYLOAD_MODES, DOT_DEFAULT_PAYLOAD_MODE, dotPayloadMode, type DotPayloadMode } from "./movella/payload-modes.js";
export { U32MicrosUnwrapper } from "./movella/clock-unwrap.js";
export * as movellaUuids from "./movella/uuids.js";

export { thingy52Module } from "./thingy52/module.js";
export { Thingy52Decoder } from "./thingy52/decoder.js";
export { Thingy52Encoder } from "./thingy52/encoder.js";

export { metaMotionModule } from "./metamotion/module.js";
export { MetaMotionDecoder } from "./metamotion/decoder.js";
export { MetaMotionEncoder } from "./metamotion/encoder.js";

export { createGenericModule, genericSamplesModule } from "./generic/module.js";
export { normaliseGenericConfig, GENERIC_FIELD_TYPES, GENERIC_TARGETS } from "./generic/config.js";
export type { GenericDeviceConfig, GenericCharacteristic, GenericField, GenericFieldType, GenericTarget } from "./generic/config.js";
