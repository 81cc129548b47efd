/**
 * TypeBox schemas of `POST /api/models/submit`: the README body plus the original form's
 * `revision`, `weight_type` and `use_chat_template`, with the form's defaults.
 */
import { Type, type Static } from 'typebox';

/** Precisions of the original; the React form sent `gptq`, which is stored as `GPTQ`. */
export const PRECISIONS = ['float16', 'bfloat16', '8bit', '4bit', 'GPTQ'] as const;
export type Precision = (typeof PRECISIONS)[number];
export const ACCEPTED_PRECISIONS = [...PRECISIONS, 'gptq'] as const;

export const WEIGHT_TYPES = ['Original', 'Delta', 'Adapter'] as const;
export type WeightType = (typeof WEIGHT_TYPES)[number];

/**
 * The submission form's model types. They are written as they are into the request file's
 * `model_type`, as the React backend did (and as the demo data does); the contents `Type`
 * column's emoji label is derived from them by the evaluation pipeline (MODEL_TYPE_LABELS).
 */
export const SUBMISSION_MODEL_TYPES = ['pretrained', 'continuously pretrained', 'fine-tuned', 'chat', 'merge', 'multimodal'] as const;
export type SubmissionModelType = (typeof SUBMISSION_MODEL_TYPES)[number];

/** `{ enum: [...] }`: one clear validation message listing the allowed values. */
const literals = <T extends string>(values: readonly T[], options: Record<string, unknown>) => Type.Enum([...values], options);

export const submitBodySchema = Type.Object(
  {
    user_id: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'Accepted for compatibility with the original frontend: when given it must be the authenticated user (else 403). The submitter always comes from the Bearer token.',
      }),
    ),
    model_id: Type.String({ minLength: 1, maxLength: 200, description: 'Hub repo id, `org/name`', examples: ['mistralai/Mistral-7B-v0.1'] }),
    base_model: Type.Optional(
      Type.String({ maxLength: 200, description: 'Hub repo id of the base model; required for Delta and Adapter weights', default: '' }),
    ),
    revision: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Branch, tag or commit; pinned to its commit sha at submission', default: 'main' })),
    precision: Type.Optional(literals(ACCEPTED_PRECISIONS, { description: 'Evaluation precision (`gptq` is accepted and stored as `GPTQ`)', default: 'float16' })),
    weight_type: Type.Optional(literals(WEIGHT_TYPES, { description: 'Original, or Delta/Adapter weights on top of `base_model`', default: 'Original' })),
    model_type: literals(SUBMISSION_MODEL_TYPES, { description: 'Model category, as in the submission form' }),
    use_chat_template: Type.Optional(Type.Boolean({ description: 'Evaluate with the chat template (tokenizer_config.json must have one)', default: false })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        model_id: 'Qwen/Qwen2.5-7B-Instruct',
        base_model: '',
        revision: 'main',
        precision: 'bfloat16',
        weight_type: 'Original',
        model_type: 'chat',
        use_chat_template: true,
      },
    ],
  },
);

export type SubmitBody = Static<typeof submitBodySchema>;

export const submitResponseSchema = Type.Object(
  {
    status: Type.Literal('success'),
    message: Type.String(),
    model: Type.String({ description: 'The model id as the Hub spells it' }),
    revision: Type.String({ description: 'The commit sha the request is pinned to' }),
    precision: Type.String(),
    path: Type.String({ description: 'Path of the request file in the requests dataset' }),
    vote_recorded: Type.Boolean({ description: 'Whether the automatic up vote of the submitter was recorded' }),
  },
  {
    examples: [
      {
        status: 'success',
        message: 'The model was submitted successfully, and the vote has been recorded',
        model: 'Qwen/Qwen2.5-7B-Instruct',
        revision: 'a09a35458c702b33eeacc393d103063234e8bc28',
        precision: 'bfloat16',
        path: 'Qwen/Qwen2.5-7B-Instruct_eval_request_False_bfloat16_Original.json',
        vote_recorded: true,
      },
    ],
  },
);

export type SubmitResponse = Static<typeof submitResponseSchema>;
