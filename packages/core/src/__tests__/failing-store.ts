import type { Store, StoreRepositories } from '@ngb/plugin-sdk';

/**
 * The store as a gateway sees it, except that one repository method throws once after `arm()`, in
 * or out of a transaction: the process "dies" at that point of a durable step.
 */
export function failingOnce<R extends keyof StoreRepositories>(
  repository: R,
  method: keyof StoreRepositories[R] & string,
  options: { armed?: boolean } = {},
): { wrap: (store: Store) => Store; arm: () => void } {
  let armed = options.armed ?? false;
  const withFault = <T extends StoreRepositories>(repositories: T): T =>
    new Proxy(repositories, {
      get(target, property) {
        const value = Reflect.get(target, property);
        if (property !== repository) return typeof value === 'function' ? value.bind(target) : value;
        return new Proxy(value as object, {
          get(inner, name) {
            const member = Reflect.get(inner, name);
            if (typeof member !== 'function') return member;
            if (name !== method) return member.bind(inner);
            return (...args: unknown[]) => {
              if (armed) {
                armed = false;
                throw new Error(`crash in ${repository}.${method}`);
              }
              return member.apply(inner, args);
            };
          },
        });
      },
    });
  return {
    arm: () => {
      armed = true;
    },
    wrap: (store) =>
      new Proxy(withFault(store), {
        get(target, property) {
          if (property === 'transaction')
            return <T>(fn: (tx: StoreRepositories) => Promise<T>) => store.transaction((tx) => fn(withFault(tx)));
          return Reflect.get(target, property);
        },
      }),
  };
}
