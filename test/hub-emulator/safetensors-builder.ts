/**
 * Builds real safetensors files for fixtures: `8-byte little-endian header length + JSON header`,
 * then the tensor data. The data is never materialised for big files: the result is a sparse
 * file whose bytes after the header read as zeros, so offsets and file sizes stay valid for
 * any parser (header parsers only read the first bytes).
 */
import type { SparseFileContent } from './repo-store.js';

export type SafetensorsDtype =
  | 'F64'
  | 'F32'
  | 'F16'
  | 'BF16'
  | 'I64'
  | 'I32'
  | 'I16'
  | 'I8'
  | 'U8'
  | 'BOOL';

const DTYPE_BYTES: Record<SafetensorsDtype, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

export interface TensorSpec {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
}

/** Files whose data is at most this size are materialised in full (zeros) instead of sparse. */
const MATERIALISE_BELOW = 1024 * 1024;

export function elementCount(shape: number[]): number {
  // Same convention as huggingface_hub and the Hub: a scalar (shape []) counts as 1.
  return shape.reduce((a, b) => a * b, 1);
}

/** Stored element count per dtype, i.e. what the Hub reports in `safetensors.parameters`. */
export function countByDtype(tensors: TensorSpec[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of tensors) counts[t.dtype] = (counts[t.dtype] ?? 0) + elementCount(t.shape);
  return counts;
}

export function totalCount(tensors: TensorSpec[]): number {
  return tensors.reduce((sum, t) => sum + elementCount(t.shape), 0);
}

export function buildSafetensors(
  tensors: TensorSpec[],
  metadata?: Record<string, string>,
): SparseFileContent | Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header['__metadata__'] = metadata;
  let offset = 0;
  for (const t of tensors) {
    const bytes = elementCount(t.shape) * DTYPE_BYTES[t.dtype];
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // The reference writer pads the header with spaces to an 8-byte boundary.
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const head = new Uint8Array(8 + headerBytes.length);
  new DataView(head.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  head.set(headerBytes, 8);
  const size = head.length + offset;
  if (offset <= MATERIALISE_BELOW) {
    const full = new Uint8Array(size);
    full.set(head);
    return full;
  }
  return { sparse: true, head, size };
}

export interface LlamaDims {
  vocab: number;
  hidden: number;
  intermediate: number;
  layers: number;
  heads: number;
  kvHeads: number;
  dtype: SafetensorsDtype;
  tieEmbeddings?: boolean;
}

/** The tensors of a Llama-architecture checkpoint (as written by transformers). */
export function llamaTensors(d: LlamaDims): TensorSpec[] {
  const headDim = d.hidden / d.heads;
  const kv = d.kvHeads * headDim;
  const t: TensorSpec[] = [{ name: 'model.embed_tokens.weight', dtype: d.dtype, shape: [d.vocab, d.hidden] }];
  for (let i = 0; i < d.layers; i++) {
    const p = `model.layers.${i}`;
    t.push(
      { name: `${p}.input_layernorm.weight`, dtype: d.dtype, shape: [d.hidden] },
      { name: `${p}.self_attn.q_proj.weight`, dtype: d.dtype, shape: [d.hidden, d.hidden] },
      { name: `${p}.self_attn.k_proj.weight`, dtype: d.dtype, shape: [kv, d.hidden] },
      { name: `${p}.self_attn.v_proj.weight`, dtype: d.dtype, shape: [kv, d.hidden] },
      { name: `${p}.self_attn.o_proj.weight`, dtype: d.dtype, shape: [d.hidden, d.hidden] },
      { name: `${p}.post_attention_layernorm.weight`, dtype: d.dtype, shape: [d.hidden] },
      { name: `${p}.mlp.gate_proj.weight`, dtype: d.dtype, shape: [d.intermediate, d.hidden] },
      { name: `${p}.mlp.up_proj.weight`, dtype: d.dtype, shape: [d.intermediate, d.hidden] },
      { name: `${p}.mlp.down_proj.weight`, dtype: d.dtype, shape: [d.hidden, d.intermediate] },
    );
  }
  t.push({ name: 'model.norm.weight', dtype: d.dtype, shape: [d.hidden] });
  if (!d.tieEmbeddings) t.push({ name: 'lm_head.weight', dtype: d.dtype, shape: [d.vocab, d.hidden] });
  return t;
}

/**
 * A 4-bit GPTQ Llama checkpoint (AutoGPTQ layout): linear layers become `qweight` (I32, 8 values
 * per int), `qzeros` (I32), `scales` (F16) and `g_idx` (I32); embeddings and norms stay F16.
 */
export function gptqLlamaTensors(d: Omit<LlamaDims, 'dtype'> & { groupSize: number }): TensorSpec[] {
  const headDim = d.hidden / d.heads;
  const kv = d.kvHeads * headDim;
  const linear = (name: string, outFeatures: number, inFeatures: number): TensorSpec[] => [
    { name: `${name}.qweight`, dtype: 'I32', shape: [inFeatures / 8, outFeatures] },
    { name: `${name}.qzeros`, dtype: 'I32', shape: [inFeatures / d.groupSize, outFeatures / 8] },
    { name: `${name}.scales`, dtype: 'F16', shape: [inFeatures / d.groupSize, outFeatures] },
    { name: `${name}.g_idx`, dtype: 'I32', shape: [inFeatures] },
  ];
  const t: TensorSpec[] = [{ name: 'model.embed_tokens.weight', dtype: 'F16', shape: [d.vocab, d.hidden] }];
  for (let i = 0; i < d.layers; i++) {
    const p = `model.layers.${i}`;
    t.push(
      { name: `${p}.input_layernorm.weight`, dtype: 'F16', shape: [d.hidden] },
      ...linear(`${p}.self_attn.q_proj`, d.hidden, d.hidden),
      ...linear(`${p}.self_attn.k_proj`, kv, d.hidden),
      ...linear(`${p}.self_attn.v_proj`, kv, d.hidden),
      ...linear(`${p}.self_attn.o_proj`, d.hidden, d.hidden),
      { name: `${p}.post_attention_layernorm.weight`, dtype: 'F16', shape: [d.hidden] },
      ...linear(`${p}.mlp.gate_proj`, d.intermediate, d.hidden),
      ...linear(`${p}.mlp.up_proj`, d.intermediate, d.hidden),
      ...linear(`${p}.mlp.down_proj`, d.hidden, d.intermediate),
    );
  }
  t.push({ name: 'model.norm.weight', dtype: 'F16', shape: [d.hidden] });
  t.push({ name: 'lm_head.weight', dtype: 'F16', shape: [d.vocab, d.hidden] });
  return t;
}

/** LoRA adapter tensors (PEFT layout) for the given target modules of a Llama model. */
export function loraTensors(d: { hidden: number; layers: number; rank: number; targets: string[] }): TensorSpec[] {
  const t: TensorSpec[] = [];
  for (let i = 0; i < d.layers; i++) {
    for (const target of d.targets) {
      const p = `base_model.model.model.layers.${i}.self_attn.${target}`;
      t.push(
        { name: `${p}.lora_A.weight`, dtype: 'F32', shape: [d.rank, d.hidden] },
        { name: `${p}.lora_B.weight`, dtype: 'F32', shape: [d.hidden, d.rank] },
      );
    }
  }
  return t;
}
