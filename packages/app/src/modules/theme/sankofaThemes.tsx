import {
  createBaseThemeOptions,
  createUnifiedTheme,
  genPageTheme,
  palettes,
  shapes,
  UnifiedThemeProvider,
} from '@backstage/theme';
import { ThemeBlueprint } from '@backstage/plugin-app-react';

// Kente-inspired: deep green navigation, gold accents, earth-red for errors.
const gold = '#c98a1b';
const green = '#0f3d2e';

const pageTheme = {
  home: genPageTheme({ colors: [green, '#1f6b4f'], shape: shapes.wave }),
  documentation: genPageTheme({
    colors: [green, '#2a7a5c'],
    shape: shapes.wave2,
  }),
  tool: genPageTheme({ colors: ['#5b3a10', gold], shape: shapes.round }),
  service: genPageTheme({ colors: [green, gold], shape: shapes.wave }),
  website: genPageTheme({ colors: [green, gold], shape: shapes.wave }),
  library: genPageTheme({ colors: [green, gold], shape: shapes.wave }),
  other: genPageTheme({ colors: [green, '#1f6b4f'], shape: shapes.wave }),
  app: genPageTheme({ colors: [green, gold], shape: shapes.wave }),
  apis: genPageTheme({ colors: [green, '#1f6b4f'], shape: shapes.wave2 }),
};

const lightTheme = createUnifiedTheme({
  ...createBaseThemeOptions({
    palette: {
      ...palettes.light,
      primary: { main: '#1f6b4f' },
      secondary: { main: gold },
      navigation: {
        ...palettes.light.navigation,
        background: green,
        indicator: gold,
        selectedColor: '#ffffff',
      },
    },
  }),
  pageTheme,
});

const darkTheme = createUnifiedTheme({
  ...createBaseThemeOptions({
    palette: {
      ...palettes.dark,
      primary: { main: '#5fc79b' },
      secondary: { main: '#e8b04a' },
      navigation: {
        ...palettes.dark.navigation,
        background: '#0a2219',
        indicator: '#e8b04a',
      },
    },
  }),
  pageTheme,
});

export const sankofaLightTheme = ThemeBlueprint.make({
  name: 'light',
  params: {
    theme: {
      id: 'light',
      title: 'Sankofa Light',
      variant: 'light',
      Provider: ({ children }) => (
        <UnifiedThemeProvider theme={lightTheme} children={children} />
      ),
    },
  },
});

export const sankofaDarkTheme = ThemeBlueprint.make({
  name: 'dark',
  params: {
    theme: {
      id: 'dark',
      title: 'Sankofa Dark',
      variant: 'dark',
      Provider: ({ children }) => (
        <UnifiedThemeProvider theme={darkTheme} children={children} />
      ),
    },
  },
});
