import { describe, expect, it } from 'vitest';
import { encodeRequestFile, formatUtcSeconds, pythonJsonDumps, requestFilePath, type EvalRequest } from './request-file.js';

describe('request files', () => {
  it('uses the original path', () => {
    expect(requestFilePath('01-ai/Yi-34B', 'bfloat16', 'Original')).toBe('01-ai/Yi-34B_eval_request_False_bfloat16_Original.json');
  });

  it('writes JSON exactly as Python json.dump(indent=2) did', () => {
    const request: EvalRequest = {
      model: 'org/m',
      base_model: '',
      revision: 'abc',
      precision: 'bfloat16',
      params: 7,
      architectures: 'LlamaForCausalLM',
      weight_type: 'Original',
      status: 'PENDING',
      submitted_time: formatUtcSeconds(new Date('2025-01-02T03:04:05.678Z')),
      model_type: '💬 chat models (RLHF, DPO, IFT, ...)',
      job_id: -1,
      job_start_time: null,
      use_chat_template: true,
      sender: 'alice',
    };
    expect(encodeRequestFile(request)).toBe(
      [
        '{',
        '  "model": "org/m",',
        '  "base_model": "",',
        '  "revision": "abc",',
        '  "precision": "bfloat16",',
        '  "params": 7.0,',
        '  "architectures": "LlamaForCausalLM",',
        '  "weight_type": "Original",',
        '  "status": "PENDING",',
        '  "submitted_time": "2025-01-02T03:04:05Z",',
        '  "model_type": "\\ud83d\\udcac chat models (RLHF, DPO, IFT, ...)",',
        '  "job_id": -1,',
        '  "job_start_time": null,',
        '  "use_chat_template": true,',
        '  "sender": "alice"',
        '}',
      ].join('\n'),
    );
  });

  it('formats floats like Python', () => {
    expect(pythonJsonDumps({ params: 7.241, x: 1e21, y: 1e-7 }, 2)).toBe('{\n  "params": 7.241,\n  "x": 1e+21,\n  "y": 1e-07\n}');
  });
});
