# bash completion for pblur                                  -*- shell-script -*-

_pblur_filters="gaussian box median pil-blur pil-contour pil-detail pil-edge-enhance
  pil-edge-enhance-more pil-emboss pil-find-edges pil-sharpen pil-smooth pil-smooth-more
  pil-kernel pil-median pil-min pil-max pil-rank pil-mode pil-gaussian pil-box pil-unsharp
  unsharp bilateral kernel erode dilate open close gradient tophat blackhat sobel scharr
  laplacian min max"
_pblur_filter_options="--filter --sigma --ksize --border"
_pblur_run_options="-j --procs --jobs -o --output --threads --seq --strips --transport --quality --lossless --keep
  --max-pixels --strip-timeout --alpha --linear --depth --flatten -q --quiet -v --verbose"

# Files (or folders with -d), named as typed.
_pblur_files() {
  compopt -o filenames 2>/dev/null
  COMPREPLY=($(compgen "${1:--f}" -- "$cur"))
}

_pblur() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local command="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      batch | bench) command=${COMP_WORDS[i]}; break ;;
    esac
  done
  COMPREPLY=()

  case $prev in
    --filter) COMPREPLY=($(compgen -W "$_pblur_filters" -- "$cur")); return ;;
    --border) COMPREPLY=($(compgen -W "reflect101 replicate reflect constant" -- "$cur")); return ;;
    --transport) COMPREPLY=($(compgen -W "shared copy" -- "$cur")); return ;;
    --alpha) COMPREPLY=($(compgen -W "premultiplied straight" -- "$cur")); return ;;
    --depth) COMPREPLY=($(compgen -W "8" -- "$cur")); return ;;
    --split) COMPREPLY=($(compgen -W "auto images strips" -- "$cur")); return ;;
    --keep) COMPREPLY=($(compgen -W "all none exif icc xmp iptc" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "jpg png tif webp bmp ppm pgm jp2" -- "$cur")); return ;;
    --batch) _pblur_files -d; return ;;
    --plot | --json | --csv | --report) _pblur_files; return ;;
    -o | --output) _pblur_files; return ;;
    --sigma | --ksize | -j | --procs | --jobs | --threads | --strips | --quality | --max-pixels | \
      --strip-timeout | --workers | --repeat | --warmup | --suffix | --shard | --halt)
      return ;;
  esac

  if [[ $cur == -* ]]; then
    local options
    case $command in
      batch)
        options="-h --help --version $_pblur_filter_options $_pblur_run_options -r --recursive
          --format --suffix --overwrite --shard --split --report -n --dry-run --fail-fast
          --halt" ;;
      bench)
        options="-h --help --version $_pblur_filter_options --batch -r --recursive --workers --repeat
          --warmup --json --csv --plot -q --quiet -v --verbose" ;;
      *) options="-h --help --version $_pblur_filter_options $_pblur_run_options --format --suffix
          --overwrite --report" ;;
    esac
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
    return
  fi

  case $command in
    batch) _pblur_files ;;
    bench) _pblur_files ;;
    *)
      _pblur_files
      ((COMP_CWORD == 1)) && COMPREPLY+=($(compgen -W "batch bench" -- "$cur"))
      ;;
  esac
}
complete -F _pblur pblur

# ex: filetype=sh
