/**
 * `npm start`: builds the zoo's LeNet-5, prints its summary, then trains it for 100 batches on
 * Fashion-MNIST, printing the falling loss, and shows every layer's output shape for one test image.
 */
import {
  captureActivations, ConvlabError, DataLoader, evaluate, FASHION_MNIST_CLASSES, FASHION_MNIST_MEAN, FASHION_MNIST_STD,
  fashionMnist, fit, formatShape, formatSummary, manualSeed, normalize, pad, predict, SGD, summary, zoo,
} from './index.js';

manualSeed(0);
const lenet = zoo.lenet5();
console.log(formatSummary(summary(lenet, [1, 32, 32])));
console.log();

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
for (const [name, output] of captureActivations(lenet, sample!.inputs)) console.log(`  ${name.padEnd(8)} ${formatShape(output.shape)}`);
