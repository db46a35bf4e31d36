import { describe, expect, it } from 'vitest';
import { hairLossQuestionnaire } from '../../src/domain/consultation/questionnaires/hairLoss.js';
import { matchRoute } from '../../web/src/app/routes.js';
import { answerText, formatPence, planPriceText } from '../../web/src/consultation/format.js';
import { dispatchBlockers } from '../../web/src/consultation/staff/dispatch.js';
import { mayOpen, staffHome } from '../../web/src/consultation/staffAccess.js';
import type { PharmacyCase, Question, StockItem } from '../../web/src/consultation/types.js';
import {
  errorText,
  isShown,
  resumeStep,
  shownAnswers,
  stepErrors,
  toAnswers,
} from '../../web/src/consultation/wizard/wizardLogic.js';

// The consultation pages' rules that need no browser: routes, the wizard, money, access, dispatch.

const questionnaire = { version: hairLossQuestionnaire.version, steps: hairLossQuestionnaire.steps };
const [aboutYou, hairLoss] = questionnaire.steps;
const question = (id: string) => questionnaire.steps.flatMap((s) => s.questions).find((q) => q.id === id)!;

describe('consultation routes', () => {
  it('tells patient pages from staff pages, and keeps the key only as the page received it', () => {
    expect(matchRoute('/treatments', '')).toEqual({ page: 'uk-catalogue' });
    expect(matchRoute('/treatments/follimax-finasteride-1mg/', '')).toEqual({
      page: 'uk-product',
      productId: 'follimax-finasteride-1mg',
    });
    expect(matchRoute('/consultations/01ABC', '?token=k3y&paid=1')).toEqual({
      page: 'uk-consultation',
      consultationId: '01ABC',
      token: 'k3y',
      justPaid: true,
    });
    expect(matchRoute('/consultations/01ABC', '')).toMatchObject({ token: null, justPaid: false });
    expect(matchRoute('/review', '?queue=pharmacist')).toEqual({ page: 'uk-review', queue: 'pharmacist' });
    expect(matchRoute('/review', '?queue=nonsense')).toEqual({ page: 'uk-review', queue: null });
    expect(matchRoute('/review/01ABC', '')).toEqual({ page: 'uk-review-case', consultationId: '01ABC' });
    expect(matchRoute('/pharmacy', '?view=exceptions')).toEqual({ page: 'uk-pharmacy', view: 'exceptions' });
    expect(matchRoute('/pharmacy', '?view=bogus')).toEqual({ page: 'uk-pharmacy', view: 'dispensing' });
    expect(matchRoute('/pharmacy/stock', '')).toEqual({ page: 'uk-stock' });
    expect(matchRoute('/pharmacy/consultations/01ABC', '')).toEqual({
      page: 'uk-pharmacy-case',
      consultationId: '01ABC',
    });
    expect(matchRoute('/consultations/01ABC/x', '')).toEqual({ page: 'not-found' });
  });
});

describe('the wizard', () => {
  it('shows a question only when the earlier answer asks for it, and saves only what is shown', () => {
    const gp = question('gpPractice');
    expect(isShown(questionnaire, gp, {})).toBe(false);
    expect(isShown(questionnaire, gp, { registeredWithUkGp: true })).toBe(true);
    // An answer to a question that is hidden again is not sent.
    const all = { registeredWithUkGp: false, gpPractice: 'Old Surgery' };
    expect(shownAnswers(questionnaire, aboutYou!, all)).toEqual({ registeredWithUkGp: false });
  });

  it('turns typed text into answers: numbers parsed, blanks and empty choices dropped', () => {
    const step = {
      id: 'x',
      title: 'x',
      questions: [
        { id: 'height', text: 'Height', kind: 'number', required: true },
        { id: 'when', text: 'When', kind: 'date', required: true },
        { id: 'which', text: 'Which', kind: 'multi', required: true, options: [] },
        { id: 'note', text: 'Note', kind: 'text', required: false },
      ] as Question[],
    };
    expect(toAnswers(step, { height: ' 172.5 ', when: '', which: [], note: '' })).toEqual({
      height: 172.5,
      note: '',
    });
    expect(toAnswers(step, { height: 'tall' })).toEqual({ height: 'tall' });
  });

  it('names each problem in the patient’s words, per kind of question', () => {
    const errors = stepErrors(questionnaire, aboutYou!, {}, {});
    expect(errors.map((e) => [e.questionId, errorText(question(e.questionId), e)])).toEqual([
      ['dateOfBirth', 'Enter a date'],
      ['sexAtBirth', 'Select an answer'],
      ['registeredWithUkGp', 'Select an answer'],
    ]);
    const conditions = question('conditions');
    expect(errorText(conditions, { questionId: 'conditions', code: 'required', message: '' })).toBe(
      'Select at least one option',
    );
    const height: Question = {
      id: 'h',
      text: 'Height',
      kind: 'number',
      unit: 'cm',
      min: 120,
      required: true,
    };
    expect(errorText(height, { questionId: 'h', code: 'below_min', message: '' })).toBe(
      'Enter a value of at least 120 cm',
    );
  });

  it('resumes at the first unfinished step, or at the check-your-answers page when all are done', () => {
    expect(resumeStep(questionnaire, {})).toBe(0);
    const first = {
      dateOfBirth: '1988-02-14',
      sexAtBirth: 'male',
      registeredWithUkGp: true,
      gpPractice: 'Park View Surgery',
    };
    expect(resumeStep(questionnaire, first)).toBe(1);
    // "Yes" to the GP question without the practice named: that step is not finished.
    expect(resumeStep(questionnaire, { ...first, gpPractice: undefined } as never)).toBe(0);
    const all = {
      ...first,
      pattern: 'crown',
      conditions: ['none'],
      otherMedicines: 'none',
      answersTruthful: true,
    };
    expect(resumeStep(questionnaire, all)).toBe(questionnaire.steps.length);
    expect(hairLoss!.id).toBe('hair-loss');
  });

  it('reads answers back with their labels', () => {
    expect(answerText(true)).toBe('Yes');
    expect(answerText(['none'], question('conditions'))).toBe('None of these');
    expect(answerText(105, { id: 'w', text: 'Weight', kind: 'number', unit: 'kg', required: true })).toBe(
      '105 kg',
    );
    expect(answerText(undefined)).toBe('—');
  });
});

describe('money', () => {
  it('shows pence as pounds, and an instalment plan with its monthly price and total', () => {
    expect(formatPence(2_495)).toBe('£24.95');
    const price = { monthlyPence: 1_999, chargeCount: 3, firstChargePence: 1_999, totalPence: 5_997 };
    expect(planPriceText({ kind: 'instalment', months: 3 }, price)).toBe(
      '£19.99 a month for 3 months (£59.97 in total): £19.99 now, then monthly',
    );
    expect(planPriceText({ kind: 'one_off' }, { ...price, chargeCount: 1, totalPence: 1_999 })).toBe(
      '£19.99, paid now',
    );
  });
});

describe('staff access', () => {
  it('sends each role to its own pages after the one staff sign-in', () => {
    const prescriber = { roles: ['prescriber'] };
    const ops = { roles: ['ops'] };
    expect(mayOpen(prescriber, '/review/01ABC')).toBe(true);
    expect(mayOpen(prescriber, '/pharmacy')).toBe(false);
    expect(mayOpen(prescriber, '/')).toBe(false);
    expect(staffHome(prescriber)).toBe('/review');
    expect(mayOpen(ops, '/pharmacy/stock')).toBe(true);
    expect(mayOpen(ops, '/review')).toBe(false);
    expect(staffHome(ops)).toBe('/');
    expect(mayOpen({ roles: ['pharmacist'] }, '/review')).toBe(true);
    expect(staffHome({ roles: ['auditor'] })).toBe('/audit');
    expect(staffHome({ roles: ['auditor', 'ops'] })).toBe('/');
    expect(staffHome({ roles: [] })).toBeNull();
  });
});

describe('dispatch', () => {
  const ready: Pick<PharmacyCase, 'supply' | 'gpLetter'> = {
    supply: {
      number: 1,
      slipId: 'slip-1',
      packed: false,
      blockedOutOfStockAt: null,
      shipmentId: null,
      lastTrackingAt: null,
    },
    gpLetter: { letterId: 'l', sentAt: '2026-03-03T11:00:00.000Z' },
  };
  const shelf = (onHand: number): Pick<StockItem, 'name' | 'onHand'> => ({ name: 'Vireza', onHand });

  it('is possible once the slip is printed, the GP told, and a unit is on the shelf; otherwise it says why', () => {
    expect(dispatchBlockers(ready, shelf(3))).toEqual([]);
    expect(dispatchBlockers({ ...ready, supply: { ...ready.supply!, slipId: null } }, shelf(3))).toEqual([
      'Print the dispensing slip first.',
    ]);
    expect(dispatchBlockers({ ...ready, gpLetter: null }, shelf(3))).toHaveLength(1);
    expect(dispatchBlockers(ready, shelf(0))).toEqual([
      'Out of stock: Vireza has none on hand. Book a delivery in on the Stock page.',
    ]);
  });
});
