import './register-core-gradients.js';
