import { describe, expect, it } from 'vitest';
import { CATALOGUE, findProduct, isLowStock } from '../../../src/domain/consultation/catalogue.js';
import type { Condition } from '../../../src/domain/consultation/conditions.js';
import { questionsOf } from '../../../src/domain/consultation/questionnaire.js';

const referencedQuestions = (condition: Condition): string[] => {
  switch (condition.op) {
    case 'all':
    case 'any':
      return condition.conditions.flatMap(referencedQuestions);
    case 'bmiBelow':
    case 'bmiAtLeast':
      return [condition.heightCmQuestionId, condition.weightKgQuestionId];
    default:
      return [condition.questionId];
  }
};

describe('seed catalogue', () => {
  it('offers six products, POM and P, with sildenafil 50 mg as a P medicine', () => {
    expect(CATALOGUE).toHaveLength(6);
    expect(findProduct('vireza-sildenafil-50mg')?.kind).toBe('P');
    expect(findProduct('trimora-weekly-pen')).toMatchObject({ kind: 'POM', coldChain: true });
    expect(CATALOGUE.map((p) => p.kind)).toContain('P');
  });

  it.each(CATALOGUE.map((p) => [p.id, p] as const))(
    '%s: a coherent product and questionnaire',
    (_, product) => {
      expect(Number.isInteger(product.pricePence) && product.pricePence > 0).toBe(true);
      expect(product.allowsOneOff || product.allowsInstalments).toBe(true);
      expect(product.allowsInstalments).toBe(product.planLengthsMonths.length > 0);
      const ids = questionsOf(product.questionnaire).map((q) => q.id);
      expect(new Set(ids).size).toBe(ids.length);
      const ruleIds = product.questionnaire.autoDenyRules.map((r) => r.id);
      expect(new Set(ruleIds).size).toBe(ruleIds.length);
      // A rule or a showIf naming a question that does not exist would never fire.
      for (const rule of product.questionnaire.autoDenyRules) {
        for (const id of referencedQuestions(rule.when)) expect(ids, `${rule.id} → ${id}`).toContain(id);
      }
      for (const question of questionsOf(product.questionnaire)) {
        if (question.showIf)
          expect(ids.indexOf(question.showIf.questionId)).toBeLessThan(ids.indexOf(question.id));
      }
    },
  );

  it('period delay is a one-off course only', () => {
    expect(findProduct('delayra-norethisterone-5mg')).toMatchObject({
      allowsOneOff: true,
      allowsInstalments: false,
    });
  });

  it('flags low stock at or under the threshold', () => {
    const product = { lowStockThreshold: 10 };
    expect(isLowStock(product, 11)).toBe(false);
    expect(isLowStock(product, 10)).toBe(true);
  });
});
