/** One KERN form field (label, hint, error next to it, input), from a FieldSpec. */
import { html, raw } from 'hono/html';
import { t, type Lang } from './i18n';
import { fieldId } from './layout';
import type { FieldError, FieldSpec } from './report-form';

export function formField(lang: Lang, name: string, spec: FieldSpec, value: string, errors: FieldError[]) {
  const id = fieldId(name);
  const label = spec.label[lang === 'de' ? 0 : 1];
  const hint = spec.hint?.[lang === 'de' ? 0 : 1];
  const mine = errors.filter((e) => e.field === name);
  const describedBy = [hint ? `${id}-hint` : '', mine.length > 0 ? `${id}-error` : ''].filter(Boolean).join(' ');
  const invalid = mine.length > 0;
  const common = html`id="${id}" name="${name}" ${spec.required ? raw('aria-required="true"') : ''} ${invalid ? raw('aria-invalid="true"') : ''} ${describedBy ? html`aria-describedby="${describedBy}"` : ''}`;
  const inputClass = `kern-form-input__input${invalid ? ' kern-form-input__input--error' : ''}`;
  let control;
  switch (spec.kind) {
    case 'hidden':
      return html`<input type="hidden" name="${name}" value="${value}">`;
    case 'choice':
      return choiceField(lang, name, spec, value, mine);
    case 'textarea':
      control = html`<textarea class="${inputClass}" rows="6" ${common}>${value}</textarea>`;
      break;
    case 'select':
      control = html`<div class="kern-form-input__select-wrapper"><select class="kern-form-input__select${invalid ? ' kern-form-input__select--error' : ''}" ${common}>
<option value="">${spec.emptyOption ? spec.emptyOption[lang === 'de' ? 0 : 1] : lang === 'de' ? '– bitte wählen –' : '– please choose –'}</option>
${(spec.options ?? []).map((o) => html`<option value="${o.value}" ${o.value === value ? 'selected' : ''}>${o.label[lang === 'de' ? 0 : 1]}</option>`)}
</select></div>`;
      break;
    case 'year':
    case 'month':
      control = html`<input class="${inputClass} kern-form-input__input--width-4" type="text" inputmode="numeric" value="${value}" ${common}>`;
      break;
    default:
      control = html`<input class="${inputClass}" type="${spec.input?.type ?? 'text'}" value="${value}" ${spec.input?.autocomplete ? html`autocomplete="${spec.input.autocomplete}"` : ''} ${spec.input?.inputmode ? html`inputmode="${spec.input.inputmode}"` : ''} ${common}>`;
  }
  return html`<div class="kern-form-input${invalid ? ' kern-form-input--error' : ''}">
<label class="kern-label" for="${id}">${label}${spec.required ? '' : html` <span class="kern-label__optional">– ${t(lang, 'optional')}</span>`}</label>
${hint ? html`<div class="kern-hint" id="${id}-hint">${hint}</div>` : ''}
${invalid ? html`<p class="kern-error" id="${id}-error"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><span class="kern-body">${mine.map((e) => e.message).join(' ')}</span></p>` : ''}
${control}
</div>`;
}

/**
 * A choice between radio buttons, as a fieldset: the first button carries the field's id, so the
 * error summary's link lands on it.
 */
function choiceField(lang: Lang, name: string, spec: FieldSpec, value: string, mine: FieldError[]) {
  const id = fieldId(name);
  const i = lang === 'de' ? 0 : 1;
  const invalid = mine.length > 0;
  return html`<fieldset class="kern-fieldset${invalid ? ' kern-fieldset--error' : ''}" ${invalid ? html`aria-describedby="${id}-error"` : ''}>
<legend class="kern-label">${spec.label[i]}</legend>
${invalid ? html`<p class="kern-error" id="${id}-error"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><span class="kern-body">${mine.map((e) => e.message).join(' ')}</span></p>` : ''}
<div class="kern-fieldset__body choice-row">
${(spec.options ?? []).map((option, index) => {
  const optionId = index === 0 ? id : `${id}-${option.value}`;
  return html`<div class="kern-form-check${invalid ? ' kern-form-check--error' : ''}"><input class="kern-form-check__radio${invalid ? ' kern-form-check__radio--error' : ''}" type="radio" id="${optionId}" name="${name}" value="${option.value}" ${option.value === value ? 'checked' : ''}><label class="kern-label" for="${optionId}">${option.label[i]}</label></div>`;
})}
</div>
</fieldset>`;
}
