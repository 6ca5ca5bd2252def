import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: { height: 30, width: 'auto' },
  mark: {
    fill: 'none',
    stroke: '#e8b04a',
    strokeWidth: 7,
    strokeLinecap: 'round',
  },
  text: { fill: '#ffffff', fontFamily: 'Helvetica, Arial, sans-serif' },
});

/**
 * The Sankofa mark: the Adinkra heart whose spirals turn back on themselves —
 * "go back and fetch it", learning from what came before.
 */
export const SankofaMark = (props: { withName?: boolean }) => {
  const classes = useStyles();
  const width = props.withName ? 300 : 64;
  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${width} 64`}
      role="img"
      aria-label="Sankofa Portal"
    >
      <path
        className={classes.mark}
        d="M32 58 C14 44 6 34 6 22 C6 12 14 6 22 6 C30 6 32 14 32 18 C32 14 34 6 42 6 C50 6 58 12 58 22 C58 34 50 44 32 58 Z M22 6 C14 14 20 24 26 20 M42 6 C50 14 44 24 38 20"
      />
      {props.withName && (
        <text className={classes.text} x="74" y="42" fontSize="28">
          Sankofa Portal
        </text>
      )}
    </svg>
  );
};
