import { Input, Text, View } from '@tarojs/components';
import { identityElementsSchema } from '@heihe/shared/dist/api/identity';
import { checkUscc } from '@heihe/shared/dist/validation/uscc';
import { useState } from 'react';
import { startFaceVerification, userMessage, verifyIdentity } from '@/api';
import type { Binding, IdentityElements } from '@/api/types';
import { Field } from '@/components/Field';
import { validate, validateField, type FieldErrors } from '@/forms/validate';
import { zh } from '@/i18n/zh';
import { SubmitBar } from '@/components/SubmitBar';
import { runFaceCheck } from '../../face';
import './index.css';

interface VerifyFormProps {
  /** The deployment has 人脸核身 (getAuthOptions().faceVerification). */
  faceVerification: boolean;
  onVerified: (binding: Binding) => void;
}

type Step = 0 | 1 | 2;

/**
 * The three elements of the legal representative, checked on the phone with the API's own
 * identityElementsSchema (the shared GB 11643 and GB 32100 validators), then 人脸核身, then binding.
 */
export function VerifyForm({ faceVerification, onVerified }: VerifyFormProps) {
  const [values, setValues] = useState<IdentityElements>({ name: '', idNumber: '', uscc: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [step, setStep] = useState<Step>(0);
  const [busy, setBusy] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);

  const set = (field: keyof IdentityElements) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setSubmitError(null);
    if (errors[field]) setErrors(({ [field]: _dropped, ...rest }) => rest);
  };

  const check = (field: keyof IdentityElements) => {
    if (values[field].trim() === '') return;
    const message = validateField(identityElementsSchema, values, field);
    setErrors((e) => {
      const { [field]: _old, ...rest } = e;
      return message ? { ...rest, [field]: message } : rest;
    });
  };

  const usccCheck = checkUscc(values.uscc);
  const checksumWarning = usccCheck.ok && !usccCheck.checksumOk;

  const onSubmit = async () => {
    setSubmitError(null);
    const checked = validate(identityElementsSchema, values);
    if (!checked.ok) {
      setErrors(checked.errors);
      setSubmitError(zh.common.fixErrors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      let verifyToken: string | undefined;
      if (faceVerification) {
        const started = await startFaceVerification(checked.data);
        setStep(1);
        await runFaceCheck(started.verifyId);
        verifyToken = started.verifyToken;
      }
      const binding = await verifyIdentity({ ...checked.data, verifyToken });
      setStep(2);
      onVerified(binding);
    } catch (error) {
      setStep(0);
      setSubmitError(userMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="form verify-form" data-testid="verify-form">
      <View className="steps">
        {zh.verify.steps.map((label, i) => (
          <View key={label} className={`steps__item ${i <= step ? 'steps__item--on' : ''}`}>
            <Text className="steps__num">{i + 1}</Text>
            <Text className="steps__label">{label}</Text>
          </View>
        ))}
      </View>
      <Field label={zh.verify.name} name="name" error={errors.name}>
        <Input
          className="field__input"
          value={values.name}
          maxlength={64}
          placeholder={zh.verify.namePlaceholder}
          onInput={(e) => set('name')(e.detail.value)}
          onBlur={() => check('name')}
          data-testid="input-name"
        />
      </Field>
      <Field label={zh.verify.idNumber} name="idNumber" error={errors.idNumber} hint={zh.verify.masked}>
        <Input
          className="field__input"
          type="idcard"
          value={values.idNumber}
          maxlength={18}
          placeholder={zh.verify.idNumberPlaceholder}
          onInput={(e) => set('idNumber')(e.detail.value)}
          onBlur={() => check('idNumber')}
          data-testid="input-idNumber"
        />
      </Field>
      <Field
        label={zh.verify.uscc}
        name="uscc"
        error={errors.uscc}
        hint={checksumWarning ? zh.verify.usccChecksumWarning : undefined}
      >
        <Input
          className="field__input"
          value={values.uscc}
          maxlength={18}
          placeholder={zh.verify.usccPlaceholder}
          onInput={(e) => set('uscc')(e.detail.value)}
          onBlur={() => check('uscc')}
          data-testid="input-uscc"
        />
      </Field>
      <Text className="muted verify-form__hint">{faceVerification ? zh.verify.faceHint : zh.verify.noFaceHint}</Text>
      <SubmitBar
        label={faceVerification ? zh.verify.submit : zh.verify.submitNoFace}
        busy={busy}
        error={submitError}
        onSubmit={() => void onSubmit()}
      />
    </View>
  );
}
