// A worker thread of convlab's WebAssembly thread pool (threads.ts starts it from this file).
// Plain CommonJS so that Node and Deno load it as it is, from src/ under the tests and dist/ when
// installed. It instantiates the kernels on the shared memory, says it is ready, then claims chunks
// of each job from the shared counter until none are left (the protocol is described in threads.ts).
'use strict';
const { workerData } = require('node:worker_threads');
const { wasmModule, memory, control, kernels, thread, port, layout } = workerData;
const { GEN, KERNEL, TOTAL, DONE, FAILED, READY, NARGS, NEXT_BYTE, ARGS_BYTE, MAX_ARGS, SLOTS, SPIN } = layout;
const instance = new WebAssembly.Instance(wasmModule, { env: { memory } });
const fns = kernels.map((name) => instance.exports[name]);
const ctl = new Int32Array(control, 0, SLOTS);
const next = new BigInt64Array(control, NEXT_BYTE, 1);
const args = new Float64Array(control, ARGS_BYTE, MAX_ARGS);
Atomics.add(ctl, READY, 1);
Atomics.notify(ctl, READY);
let seen = 0;
for (;;) {
  let gen = Atomics.load(ctl, GEN);
  for (let spin = 0; gen === seen && spin < SPIN; spin++) gen = Atomics.load(ctl, GEN);
  while (gen === seen) {
    Atomics.wait(ctl, GEN, seen);
    gen = Atomics.load(ctl, GEN);
  }
  seen = gen;
  const tag = BigInt(gen);
  const fn = fns[ctl[KERNEL]];
  const total = ctl[TOTAL];
  const a = Array.from(args.subarray(0, ctl[NARGS]));
  for (;;) {
    const v = Atomics.load(next, 0);
    if (v >> 32n !== tag || Number(v & 0xffffffffn) >= total) break;
    if (Atomics.compareExchange(next, 0, v, v + 1n) !== v) continue;
    try {
      fn(Number(v & 0xffffffffn), thread, ...a);
    } catch (error) {
      Atomics.store(ctl, FAILED, 1);
      port.postMessage(String((error && error.stack) || error));
    }
    if (Atomics.add(ctl, DONE, 1) + 1 === total) Atomics.notify(ctl, DONE);
  }
}
