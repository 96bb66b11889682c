/** Placeholder until the zoo and training loop land: prints a LeNet built from core layers. */
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from './index.js';

const lenet = new Sequential(
  new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2),
  new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
  new Flatten(), new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10),
);
console.log(lenet.toString());
console.log(`parameters: ${lenet.parameters().reduce((n, p) => n + p.size, 0)}`);
