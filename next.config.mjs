/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Type-checking is its own step of `npm test` (tsc --noEmit); the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  // Native and WASM runtimes stay out of the server bundle; Node loads them itself.
  serverExternalPackages: ['@huggingface/transformers', 'onnxruntime-node', '@electric-sql/pglite', 'tokenizers'],
};

export default nextConfig;
