import { Text, View } from '@tarojs/components';
import type { PropsWithChildren } from 'react';
import { zh } from '@/i18n/zh';
import './index.css';

interface FieldProps {
  label: string;
  /** The field's key, for tests and for the error's data-field. */
  name: string;
  error?: string;
  optional?: boolean;
  hint?: string;
}

/** A labelled form row with its validation message underneath. */
export function Field({ label, name, error, optional, hint, children }: PropsWithChildren<FieldProps>) {
  return (
    <View className={`field ${error ? 'field--invalid' : ''}`} data-testid={`field-${name}`}>
      <View className="field__label">
        <Text>{label}</Text>
        {optional ? <Text className="field__optional">{zh.common.optional}</Text> : null}
      </View>
      {children}
      {hint ? <Text className="field__hint">{hint}</Text> : null}
      {error ? (
        <Text className="field__error" data-testid={`error-${name}`}>
          {error}
        </Text>
      ) : null}
    </View>
  );
}
