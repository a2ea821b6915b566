import type { AppModule } from '@moe/service';
import { createRemoteSensingApp } from './service/remote-sensing-app.js';

/**
 * The app as the suite mounts it (`/api/remote-sensing`), configured from the environment:
 * REMOTE_SENSING_ARTIFACTS_DIR (adapted models; default `.data/remote-sensing-models/`), REMOTE_SENSING_BACKBONE_DIR
 * (pretrained backbone; default the committed artifact).
 */
export const remoteSensingApp: AppModule = createRemoteSensingApp({
  ...(process.env.REMOTE_SENSING_ARTIFACTS_DIR ? { artifactsDir: process.env.REMOTE_SENSING_ARTIFACTS_DIR } : {}),
  ...(process.env.REMOTE_SENSING_BACKBONE_DIR ? { backboneDir: process.env.REMOTE_SENSING_BACKBONE_DIR } : {}),
}).module;
