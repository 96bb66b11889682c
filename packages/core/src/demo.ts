/**
 * `npm start`: builds LeNet-5, prints it, then trains it for a few dozen batches on Fashion-MNIST,
 * printing the falling loss, and shows the feature-map shapes of one test image.
 */
import {
  captureActivations, Conv2d, ConvlabError, DataLoader, evaluate, FASHION_MNIST_CLASSES, FASHION_MNIST_MEAN, FASHION_MNIST_STD,
  fashionMnist, fit, Flatten, formatShape, Linear, manualSeed, MaxPool2d, normalize, pad, predict, ReLU, Sequential, SGD,
} from './index.js';

manualSeed(0);
const lenet = new Sequential(
  new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2),
  new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
  new Flatten(), new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10),
);
console.log(lenet.toString());
console.log(`parameters: ${lenet.parameters().reduce((n, p) => n + p.size, 0).toLocaleString('en')}\n`);

let data;
try {
  data = fashionMnist();
} catch (error) {
  if (!(error instanceof ConvlabError)) throw error;
  console.log(`Skipping the training part: ${error.message}`);
  process.exit(0);
}

const transforms = [normalize(FASHION_MNIST_MEAN, FASHION_MNIST_STD), pad(2)];
const train = new DataLoader(data.train.slice(0, 3200), { batchSize: 32, shuffle: true, seed: 0, transforms });
const test = new DataLoader(data.test.slice(0, 1000), { batchSize: 250, transforms });
console.log(`Training on ${train.imagesPerEpoch} Fashion-MNIST images (${train.length} batches of ${train.batchSize}), SGD lr 0.05, momentum 0.9:`);
const history = fit(lenet, {
  train,
  optimizer: new SGD(lenet.parameters(), { lr: 0.05, momentum: 0.9 }),
  callbacks: [{
    onBatchEnd: (p, { history: h }) => {
      if (p.batch % 10 !== 0) return;
      const mean = h.batches.slice(-10).reduce((s, b) => s + b.loss, 0) / 10;
      console.log(`  batches ${String(p.batch - 9).padStart(3)}–${String(p.batch).padEnd(3)}  mean loss ${mean.toFixed(4)}  (${Math.round(p.imagesPerSecond)} images/s)`);
    },
  }],
});
const scored = evaluate(lenet, test);
console.log(`Accuracy on ${scored.images} test images: ${(100 * scored.metrics['accuracy']!).toFixed(1)}% (chance: 10%) after ${history.seconds.toFixed(1)} s\n`);

const one = new DataLoader(data.test.slice(0, 1), { batchSize: 1, transforms });
const [sample] = one;
const scores = predict(lenet, sample!.inputs).data;
const guess = scores.indexOf(Math.max(...scores));
console.log(`Test image 0: ${FASHION_MNIST_CLASSES[sample!.labels[0]!]}; LeNet says: ${FASHION_MNIST_CLASSES[guess]}. Each layer's output for it:`);
for (const [name, output] of captureActivations(lenet, sample!.inputs)) {
  console.log(`  ${name.padEnd(3)} ${lenet.layers[Number(name)]!.typeName.padEnd(9)} ${formatShape(output.shape)}`);
}
