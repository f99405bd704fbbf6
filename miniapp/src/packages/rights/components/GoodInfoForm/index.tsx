import { Input, Picker, Text, View } from '@tarojs/components';
import { createGoodInfoReportSchema, type CreateGoodInfoReport } from '@heihe/shared/dist/api/rights';
import {
  GOOD_INFO_CATEGORIES,
  HONOUR_LEVELS,
  type GoodInfoCategory,
  type HonourLevel,
} from '@heihe/shared/dist/rights/labels';
import { useState } from 'react';
import { createGoodInfoReport } from '@/api';
import type { GoodInfoReportView } from '@/api/types';
import { Field } from '@/components/Field';
import { zh } from '@/i18n/zh';
import { ApplicationForm, ChoiceField, evidenceIdsBlock, type ApplicationFormSpec } from '../ApplicationForm';
import type { Uploader } from '../EvidenceList/useEvidenceUploads';

const GOOD_INFO: ApplicationFormSpec<CreateGoodInfoReport, GoodInfoReportView> = {
  testId: 'good-info-form',
  schema: createGoodInfoReportSchema,
  statement: { name: 'description', label: zh.goodInfo.description, placeholder: zh.goodInfo.descriptionPlaceholder },
  evidence: evidenceIdsBlock(zh.goodInfo.evidenceHint),
  submit: { label: zh.goodInfo.submit },
  send: createGoodInfoReport,
};

interface GoodInfoFormProps {
  entityId: number;
  /** 'YYYY-MM-DD' in China time: the latest date the picker allows. */
  today: string;
  onSubmitted: (report: GoodInfoReportView) => void;
  uploader?: Uploader;
}

/** Good information about the entity itself: category, level of an honour, title and date. */
export function GoodInfoForm({ entityId, today, onSubmitted, uploader }: GoodInfoFormProps) {
  const [category, setCategory] = useState<GoodInfoCategory | null>(null);
  const [level, setLevel] = useState<HonourLevel | null>(null);
  const [title, setTitle] = useState('');
  const [occurredOn, setOccurredOn] = useState('');

  return (
    <ApplicationForm
      spec={GOOD_INFO}
      entityId={entityId}
      values={{
        entityId,
        category: category ?? undefined,
        level: category === 'honour' ? level : null,
        title,
        occurredOn,
      }}
      // The schema's message for a missing date is about its format; ask for the date instead.
      checks={occurredOn ? {} : { occurredOn: zh.goodInfo.occurredOnPlaceholder }}
      onSubmitted={onSubmitted}
      uploader={uploader}
      fields={(own) => (
        <>
          <ChoiceField
            own={own}
            name="category"
            label={zh.goodInfo.category}
            options={GOOD_INFO_CATEGORIES}
            labels={zh.goodInfoCategories}
            value={category}
            onChange={setCategory}
          />
          {category === 'honour' ? (
            <ChoiceField
              own={own}
              name="level"
              label={zh.goodInfo.level}
              options={HONOUR_LEVELS}
              labels={zh.honourLevels}
              value={level}
              onChange={setLevel}
            />
          ) : null}
          <Field label={zh.goodInfo.itemTitle} name="title" error={own.errors.title}>
            <Input
              className="field__input"
              value={title}
              maxlength={100}
              placeholder={zh.goodInfo.itemTitlePlaceholder}
              onInput={(e) => {
                setTitle(e.detail.value);
                own.edited('title');
              }}
            />
          </Field>
          <Field label={zh.goodInfo.occurredOn} name="occurredOn" error={own.errors.occurredOn}>
            <Picker
              mode="date"
              value={occurredOn || today}
              end={today}
              onChange={(e) => {
                setOccurredOn(String(e.detail.value));
                own.edited('occurredOn');
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
        </>
      )}
    />
  );
}
