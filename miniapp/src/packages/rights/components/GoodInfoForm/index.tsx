import { Input, Picker, Text, Textarea, View } from '@tarojs/components';
import { createGoodInfoReportSchema } from '@heihe/shared/dist/api/rights';
import {
  GOOD_INFO_CATEGORIES,
  HONOUR_LEVELS,
  type GoodInfoCategory,
  type HonourLevel,
} from '@heihe/shared/dist/rights/labels';
import { useState } from 'react';
import { createGoodInfoReport, userMessage } from '@/api';
import type { GoodInfoReportView } from '@/api/types';
import { Chips } from '@/components/Chips';
import { Field } from '@/components/Field';
import { useFieldErrors } from '@/forms/useFieldErrors';
import { validate } from '@/forms/validate';
import { zh } from '@/i18n/zh';
import { EvidenceList } from '../EvidenceList';
import { useEvidenceUploads, type Uploader } from '../EvidenceList/useEvidenceUploads';
import { askForDecisionMessage, useDecisionTemplate } from '../../subscribe';
import { SubmitBar } from '@/components/SubmitBar';
import { uploadsProblem } from '../EvidenceList/problem';
import { MAX_EVIDENCE } from '../ObjectionForm';

interface GoodInfoFormProps {
  entityId: number;
  /** 'YYYY-MM-DD' in China time: the latest date the picker allows. */
  today: string;
  onSubmitted: (report: GoodInfoReportView) => void;
  uploader?: Uploader;
}

/** Category, level, title, description, date and evidence, validated with createGoodInfoReportSchema. */
export function GoodInfoForm({ entityId, today, onSubmitted, uploader }: GoodInfoFormProps) {
  const [category, setCategory] = useState<GoodInfoCategory | null>(null);
  const [level, setLevel] = useState<HonourLevel | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [occurredOn, setOccurredOn] = useState('');
  const [errors, setErrors, clearError] = useFieldErrors();
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const uploads = useEvidenceUploads(entityId, uploader);
  const templates = useDecisionTemplate();

  const onSubmit = async () => {
    setSubmitError(null);
    const problem = uploadsProblem(uploads);
    const checked = validate(createGoodInfoReportSchema, {
      entityId,
      category: category ?? undefined,
      level: category === 'honour' ? level : null,
      title,
      description,
      occurredOn,
      evidenceIds: uploads.uploadedIds(),
    });
    const nextErrors = checked.ok ? {} : { ...checked.errors };
    if (!occurredOn) nextErrors.occurredOn = zh.goodInfo.occurredOnPlaceholder;
    if (problem) nextErrors.evidenceIds = problem;
    setErrors(nextErrors);
    if (!checked.ok || problem) {
      setSubmitError(zh.common.fixErrors);
      return;
    }
    await askForDecisionMessage(templates);
    setBusy(true);
    try {
      onSubmitted(await createGoodInfoReport(checked.data));
    } catch (error) {
      setSubmitError(userMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="form" data-testid="good-info-form">
      <Field label={zh.goodInfo.category} name="category" error={errors.category}>
        <Chips
          name="category"
          options={GOOD_INFO_CATEGORIES}
          labels={zh.goodInfoCategories}
          value={category}
          onChange={(c) => {
            setCategory(c);
            clearError('category');
          }}
        />
      </Field>
      {category === 'honour' ? (
        <Field label={zh.goodInfo.level} name="level" error={errors.level}>
          <Chips
            name="level"
            options={HONOUR_LEVELS}
            labels={zh.honourLevels}
            value={level}
            onChange={(l) => {
              setLevel(l);
              clearError('level');
            }}
          />
        </Field>
      ) : null}
      <Field label={zh.goodInfo.itemTitle} name="title" error={errors.title}>
        <Input
          className="field__input"
          value={title}
          maxlength={100}
          placeholder={zh.goodInfo.itemTitlePlaceholder}
          onInput={(e) => {
            setTitle(e.detail.value);
            clearError('title');
          }}
        />
      </Field>
      <Field label={zh.goodInfo.description} name="description" error={errors.description}>
        <Textarea
          className="field__textarea"
          value={description}
          maxlength={2000}
          placeholder={zh.goodInfo.descriptionPlaceholder}
          onInput={(e) => {
            setDescription(e.detail.value);
            clearError('description');
          }}
        />
      </Field>
      <Field label={zh.goodInfo.occurredOn} name="occurredOn" error={errors.occurredOn}>
        <Picker
          mode="date"
          value={occurredOn || today}
          end={today}
          onChange={(e) => {
            setOccurredOn(String(e.detail.value));
            clearError('occurredOn');
          }}
        >
          <View className="field__picker">
            <Text className={occurredOn ? '' : 'field__placeholder'}>
              {occurredOn || zh.goodInfo.occurredOnPlaceholder}
            </Text>
            <Text className="field__placeholder">›</Text>
          </View>
        </Picker>
      </Field>
      <Field label={zh.evidence.title} name="evidenceIds" error={errors.evidenceIds} hint={zh.goodInfo.evidenceHint}>
        <EvidenceList uploads={uploads} max={MAX_EVIDENCE} />
        <Text className="field__hint">{zh.evidence.hint}</Text>
      </Field>
      <SubmitBar label={zh.goodInfo.submit} busy={busy} error={submitError} onSubmit={() => void onSubmit()} />
    </View>
  );
}
