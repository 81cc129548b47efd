/** Two thumbs on one track: the parameter range (billions). The top value means "no limit". */
import { useI18n } from '../i18n/i18n.js';

export function RangeSlider({
  min,
  max,
  value,
  onChange,
  step = 1,
}: {
  min: number;
  max: number;
  value: [number, number];
  onChange(value: [number, number]): void;
  step?: number;
}) {
  const { t } = useI18n();
  const [low, high] = value;
  const pct = (n: number) => ((n - min) / (max - min)) * 100;
  const highText = high >= max ? t('filters.noLimit') : `${high}B`;
  return (
    <div className="range">
      <div className="range-values" aria-hidden="true">
        <span>{low}B</span>
        <span>{highText}</span>
      </div>
      <div className="range-track" style={{ '--low': `${pct(low)}%`, '--high': `${pct(high)}%` } as React.CSSProperties}>
        <input
          type="range"
          min={min}
          max={max}
          step={step}
          value={low}
          aria-label={t('filters.paramsMin')}
          aria-valuetext={`${low}B`}
          onChange={(event) => onChange([Math.min(Number(event.target.value), high), high])}
        />
        <input
          type="range"
          min={min}
          max={max}
          step={step}
          value={high}
          aria-label={t('filters.paramsMax')}
          aria-valuetext={highText}
          onChange={(event) => onChange([low, Math.max(Number(event.target.value), low)])}
        />
      </div>
    </div>
  );
}
