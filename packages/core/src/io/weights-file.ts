import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor.js';
import { writeFileAtomic } from './atomic-write.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsContents } from './safetensors.js';
import { loadStateDict, stateDict } from './state-dict.js';
import { requireNodeModule } from '../platform.js';

/**
 * Writes named tensors to a safetensors file atomically (see {@link writeFileAtomic}): a failure
 * never leaves a half-written file behind, and nothing planted next to `path` is written through.
 */
export function saveSafetensors(path: string, tensors: Iterable<[string, Tensor]>, metadata: Record<string, string> = {}): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata), 'saveSafetensors');
}

/** Reads a safetensors file (see {@link decodeSafetensors} for the checks). */
export function loadSafetensors(path: string): SafetensorsContents {
  return decodeSafetensors(requireNodeModule('node:fs', 'loadSafetensors').readFileSync(path), path);
}

/**
 * Saves a model's {@link stateDict} (PyTorch names) as safetensors, with `{"format": "pt"}`
 * metadata, so Python reads it with `safetensors.torch.load_file(path)` and
 * `model.load_state_dict(...)`.
 * @example saveWeights(model, 'lenet.safetensors')
 */
export function saveWeights(model: Module, path: string): void {
  saveSafetensors(path, stateDict(model), { format: 'pt' });
}

/**
 * Loads weights saved by {@link saveWeights} (or by PyTorch's safetensors) into `model`,
 * reporting every missing or unexpected name and shape mismatch at once.
 */
export function loadWeights(model: Module, path: string): void {
  loadStateDict(model, loadSafetensors(path).tensors);
}
