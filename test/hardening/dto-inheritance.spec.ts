import 'reflect-metadata';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { AppModule } from '../../apps/api/src/app.module';

/**
 * class-validator 0.14 keeps only a subclass's own rules for a property it decorates again: the
 * inherited ones (the date check of `from`) silently vanish (issue #7, defect 2). Every DTO that
 * re-declares a property must restate every rule it inherits.
 */
describe('DTO subclasses keep the rules they inherit', () => {
  it('no re-declared property loses an inherited rule', () => {
    expect(AppModule).toBeDefined(); // loads every controller and so every DTO class
    type Target = abstract new (...args: never[]) => unknown;
    type Rule = { propertyName: string; type: string; name?: string; constraintCls?: Target };
    const byTarget = (getMetadataStorage() as unknown as { validationMetadatas: Map<Target, Rule[]> }).validationMetadatas;
    const rule = (m: Rule) =>
      m.type === ValidationTypes.CUSTOM_VALIDATION ? `custom:${m.name ?? m.constraintCls?.name}` : m.type;
    const lost: string[] = [];
    for (const [target, own] of byTarget) {
      const ownByProperty = new Map<string, Set<string>>();
      for (const m of own) ownByProperty.set(m.propertyName, (ownByProperty.get(m.propertyName) ?? new Set()).add(rule(m)));
      for (let parent = Object.getPrototypeOf(target); parent && parent !== Object.getPrototypeOf(Object); parent = Object.getPrototypeOf(parent)) {
        for (const m of byTarget.get(parent) ?? []) {
          const mine = ownByProperty.get(m.propertyName);
          if (mine && !mine.has(rule(m))) lost.push(`${target.name}.${m.propertyName} lost ${rule(m)} of ${parent.name}`);
        }
      }
    }
    expect(byTarget.size).toBeGreaterThan(10);
    expect(lost).toEqual([]);
  });
});
