import { Text, Textarea, View } from '@tarojs/components';
import { useState, type ReactNode } from 'react';
import { userMessage } from '@/api';
import { Chips } from '@/components/Chips';
import { Field } from '@/components/Field';
import { SubmitBar } from '@/components/SubmitBar';
import { useFieldErrors } from '@/forms/useFieldErrors';
import { validate, type FieldErrors, type SafeParser } from '@/forms/validate';
import { zh } from '@/i18n/zh';
import { EvidenceList } from '../EvidenceList';
import { uploadsProblem } from '../EvidenceList/problem';
import { useEvidenceUploads, type EvidenceUploads, type Uploader } from '../EvidenceList/useEvidenceUploads';
import { askForDecisionMessage, useDecisionTemplate } from '../../subscribe';
import './index.css';

const STATEMENT_MAX = 2000;
const MAX_EVIDENCE = 10;

/** The free-text field every kind has, under the schema's name for it. */
export interface StatementField {
  name: 'statement' | 'description';
  label: string;
  placeholder: string;
}

/** One list of files: a tagged list (a repair material type) has a title of its own. */
export interface EvidenceSlot {
  tag: string;
  title?: string;
  max: number;
}

export interface EvidenceBlock {
  /** The schema's key for the files: its messages, and upload problems, show under the block. */
  field: 'evidenceIds' | 'materials';
  label: string;
  hint?: string;
  slots: readonly EvidenceSlot[];
  /** The uploaded files in the shape the schema wants. */
  collect: (uploads: EvidenceUploads) => unknown;
}

/** One untagged list of up to ten files, sent as evidenceIds. */
export function evidenceIdsBlock(hint: string): EvidenceBlock {
  return {
    field: 'evidenceIds',
    label: zh.evidence.title,
    hint,
    slots: [{ tag: '', max: MAX_EVIDENCE }],
    collect: (uploads) => uploads.uploadedIds(),
  };
}

/** What a kind's own fields get from the shell: their messages, and a way to clear one on edit. */
export interface OwnFields {
  errors: FieldErrors;
  edited: (field: string) => void;
}

interface ChoiceFieldProps<K extends string> {
  own: OwnFields;
  name: string;
  label: string;
  options: readonly K[];
  labels: Record<K, string>;
  value: K | null;
  onChange: (value: K) => void;
}

/** A kind's single-choice field (ground, category, level): its message goes once a choice is made. */
export function ChoiceField<K extends string>({ own, name, label, onChange, ...chips }: ChoiceFieldProps<K>) {
  return (
    <Field label={label} name={name} error={own.errors[name]}>
      <Chips
        name={name}
        {...chips}
        onChange={(value) => {
          onChange(value);
          own.edited(name);
        }}
      />
    </Field>
  );
}

/** What each kind fills in; the shell does the statement, evidence, validation and submission. */
export interface ApplicationFormSpec<T, R> {
  testId: string;
  /** The API's own create schema: the phone and the server validate with one definition. */
  schema: SafeParser<T>;
  statement: StatementField;
  evidence: EvidenceBlock;
  submit: { label: string; note?: string };
  send: (body: T) => Promise<R>;
}

interface ApplicationFormProps<T, R> {
  spec: ApplicationFormSpec<T, R>;
  entityId: number;
  /** The kind's own values (ids included), named as in the schema. */
  values: Record<string, unknown>;
  /** Messages the schema cannot word well, shown at submit in place of its own. */
  checks?: FieldErrors;
  /** The kind's own fields, above the statement. */
  fields?: (own: OwnFields) => ReactNode;
  onSubmitted: (result: R) => void;
  uploader?: Uploader;
}

/**
 * The form shell of the three applications: the kind's own fields, the statement with its counter,
 * the evidence lists with per-file upload states, and submission. Nothing is sent while a file is
 * uploading or has failed; the decision-message prompt runs inside the submit tap, as WeChat
 * requires; a refusal from the API keeps everything typed and uploaded.
 */
export function ApplicationForm<T, R>({
  spec,
  entityId,
  values,
  checks = {},
  fields,
  onSubmitted,
  uploader,
}: ApplicationFormProps<T, R>) {
  const { statement, evidence } = spec;
  const [text, setText] = useState('');
  const [errors, setErrors, clearError] = useFieldErrors();
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const uploads = useEvidenceUploads(entityId, uploader);
  const templates = useDecisionTemplate();

  const onSubmit = async () => {
    setSubmitError(null);
    const checked = validate(spec.schema, {
      ...values,
      [statement.name]: text,
      [evidence.field]: evidence.collect(uploads),
    });
    const nextErrors: FieldErrors = { ...(checked.ok ? {} : checked.errors), ...checks };
    const problem = uploadsProblem(uploads);
    if (problem) nextErrors[evidence.field] = problem;
    setErrors(nextErrors);
    if (!checked.ok || Object.keys(nextErrors).length > 0) {
      setSubmitError(zh.common.fixErrors);
      return;
    }
    await askForDecisionMessage(templates);
    setBusy(true);
    try {
      onSubmitted(await spec.send(checked.data));
    } catch (error) {
      setSubmitError(userMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="form" data-testid={spec.testId}>
      {fields?.({ errors, edited: clearError })}
      <Field label={statement.label} name={statement.name} error={errors[statement.name]}>
        <Textarea
          className="field__textarea"
          value={text}
          maxlength={STATEMENT_MAX}
          placeholder={statement.placeholder}
          onInput={(e) => {
            setText(e.detail.value);
            clearError(statement.name);
          }}
          data-testid={statement.name}
        />
        <Text className="field__counter">{zh.common.charCount(text.trim().length, STATEMENT_MAX)}</Text>
      </Field>
      <Field label={evidence.label} name={evidence.field} error={errors[evidence.field]} hint={evidence.hint}>
        {evidence.slots.map((slot) =>
          slot.title === undefined ? (
            <EvidenceList key={slot.tag} uploads={uploads} tag={slot.tag} max={slot.max} />
          ) : (
            <View key={slot.tag} className="form__material">
              <Text className="form__material-title">{slot.title}</Text>
              <EvidenceList uploads={uploads} tag={slot.tag} max={slot.max} name={slot.tag} />
            </View>
          ),
        )}
        <Text className="field__hint">{zh.evidence.hint}</Text>
      </Field>
      <SubmitBar
        label={spec.submit.label}
        note={spec.submit.note}
        busy={busy}
        error={submitError}
        onSubmit={() => void onSubmit()}
      />
    </View>
  );
}
