import { Text, View } from '@tarojs/components';
import './index.css';

interface ChipsProps<K extends string> {
  name: string;
  options: readonly K[];
  labels: Record<K, string>;
  value: K | null;
  onChange: (value: K) => void;
}

/** A single choice among a few labelled options, each a large tap target (radio semantics). */
export function Chips<K extends string>({ name, options, labels, value, onChange }: ChipsProps<K>) {
  return (
    <View className="chips" ariaRole="radiogroup">
      {options.map((option) => (
        <View
          key={option}
          className={`chips__item ${value === option ? 'chips__item--on' : ''}`}
          ariaRole="radio"
          data-selected={value === option}
          data-testid={`${name}-${option}`}
          onClick={() => onChange(option)}
        >
          <Text>{labels[option]}</Text>
        </View>
      ))}
    </View>
  );
}
