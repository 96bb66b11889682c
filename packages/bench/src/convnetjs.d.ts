// The part of ConvNetJS 0.3's API the benchmark uses (the package ships no types).
declare module 'convnetjs' {
  export class Vol {
    constructor(sx: number, sy: number, depth: number, c?: number);
    w: Float64Array;
    dw: Float64Array;
  }
  export interface LayerDef {
    type: string;
    [option: string]: number | string;
  }
  export class Net {
    makeLayers(defs: LayerDef[]): void;
    forward(v: Vol, isTraining?: boolean): Vol;
  }
  export class Trainer {
    constructor(net: Net, options: { method?: string; learning_rate?: number; momentum?: number; batch_size?: number; l2_decay?: number });
    train(x: Vol, y: number): unknown;
  }
  export class ConvLayer {
    constructor(options: { in_sx: number; in_sy: number; in_depth: number; sx: number; filters: number; stride: number; pad: number });
    forward(v: Vol, isTraining?: boolean): Vol;
    backward(): void;
    out_act: Vol;
  }
}
