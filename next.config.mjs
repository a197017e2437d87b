/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Native and WASM runtimes stay out of the server bundle; Node loads them itself.
  serverExternalPackages: ['@huggingface/transformers', 'onnxruntime-node', '@electric-sql/pglite', 'tokenizers'],
};

export default nextConfig;
