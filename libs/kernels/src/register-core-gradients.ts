// tfjs-core's Node bundle registers no gradients; tfjs-layers' bundle registers all of core's. Importing it
// once here means every package that imports @moe/kernels can differentiate standard ops.
import '@tensorflow/tfjs-layers';
