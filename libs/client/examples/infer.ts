// A backend service calling a model: AIAAS_URL=… AIAAS_API_KEY=… npx tsx libs/client/examples/infer.ts
import { AiaasClient } from '@aiaas/client';

const client = new AiaasClient({
  url: process.env.AIAAS_URL ?? 'http://127.0.0.1:8080',
  apiKey: process.env.AIAAS_API_KEY,
});
const features = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i));

client.inference
  .infer(process.env.AIAAS_MODEL ?? 'demo-mlp@production', { input: { shape: [1, 64], data: features } })
  .then(({ outputs }) => console.log(outputs.output?.shape, outputs.output?.data))
  .catch((err: unknown) => {
    console.error(String(err));
    process.exitCode = 1;
  })
  .finally(() => client.close());
