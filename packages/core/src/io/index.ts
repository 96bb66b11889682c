export { encodeSafetensors, decodeSafetensors, type SafetensorsContents } from './safetensors.js';
export { stateDict, loadStateDict } from './state-dict.js';
export { saveSafetensors, loadSafetensors, saveWeights, loadWeights } from './weights-file.js';
