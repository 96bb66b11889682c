import { zoo, type Tensor } from '../../src/index.js';
import { loadTorchCases, type TorchCase } from '../helpers/fixtures.js';

/** The attribution cases of tests/fixtures/torch/inspect.json and LeNet-5 with their weights. */
export function lenetWithFixtureWeights(): { model: zoo.LeNet5; cases: TorchCase[]; image: Tensor } {
  const cases = loadTorchCases('inspect').filter((c) => c.op === 'lenet_attribution');
  const model = zoo.lenet5();
  const weights = cases[0]!.tensors;
  for (const [name, p] of model.namedParameters()) p.data.set(weights[`param:${name}`]!.data);
  return { model, cases, image: weights.x! };
}
