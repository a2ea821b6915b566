export * from './java-random.js';
export * from './schema.js';
export * from './classifier.js';
export * from './generators/instance-stream.js';
export * from './generators/sea-generator.js';
export * from './generators/led-generator.js';
export * from './generators/random-rbf-generator.js';
export * from './generators/agrawal-generator.js';
export * from './generators/hyperplane-generator.js';
export * from './generators/concept-drift-stream.js';
// The tree's internals (attribute observers, split criteria, the normal CDF) stay private: users pick them
// through HoeffdingTree options (splitCriterion 'infogain' / 'gini', leafPrediction), not by importing them.
export * from './tree/nodes.js';
export * from './tree/hoeffding-tree.js';
export * from './tree/tree-options.js';
export * from './drift/adwin.js';
export * from './evaluation/prequential-evaluator.js';
export * from './readers/lines.js';
export * from './readers/encode-value.js';
export * from './readers/arff-reader.js';
export * from './readers/csv-reader.js';
export * from './ensemble/poisson.js';
export * from './ensemble/adaptive-random-forest.js';
export * from './tree/tree-state.js';
