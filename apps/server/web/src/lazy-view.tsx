import type { ComponentType, FunctionComponent } from 'preact';
import { useLayoutEffect, useState } from 'preact/hooks';
import { ApiError } from './api';
import { ErrorState, Loading } from './components/ui';

/**
 * A view whose code loads the first time it is shown: the first page a person opens downloads and
 * runs only its own view. A chunk that cannot load (the server was updated and its names changed)
 * offers to reload the page.
 */
export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): FunctionComponent<P> {
  let view: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  return function LazyView(props: P) {
    const [failed, setFailed] = useState<unknown>(undefined);
    const [, setLoaded] = useState(view !== undefined);
    useLayoutEffect(() => {
      if (view) return;
      let mounted = true;
      loading ??= load();
      loading.then(
        (loaded) => {
          view = loaded;
          if (mounted) setLoaded(true);
        },
        (error: unknown) => {
          loading = undefined;
          if (mounted) setFailed(error);
        },
      );
      return () => {
        mounted = false;
      };
    }, []);
    if (view) {
      const View = view;
      return <View {...props} />;
    }
    if (failed !== undefined) {
      return (
        <ErrorState
          error={new ApiError(0, 'client', 'This page could not be loaded; the server may have been updated.')}
          what="This page"
          onRetry={() => window.location.reload()}
        />
      );
    }
    return <Loading />;
  };
}
