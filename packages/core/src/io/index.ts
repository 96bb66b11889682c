export { encodeSafetensors, decodeSafetensors, type SafetensorsContents } from './safetensors.js';
export { stateDict, loadStateDict } from './state-dict.js';
export { saveSafetensors, loadSafetensors, saveWeights, loadWeights } from './weights-file.js';
export { exportOnnx, type OnnxExportOptions } from './onnx-export.js';
export { importOnnx, OnnxModel, OnnxBlock } from './onnx-import.js';
export { exportPyTorch, type PyTorchExportOptions } from './pytorch-export.js';
